"""The contract's rules as flat facts (`docs/contract/rules.json`): what `contract diff` compares across commits."""

from __future__ import annotations

from typing import Any, Final

from contract.fields import field_rules
from txnpipe.api import transactions, uploads
from txnpipe.domain.amounts import MAX_INTEGER_DIGITS
from txnpipe.domain.rules import SUPPORTED_CURRENCIES
from txnpipe.domain.timestamps import MAX_FRACTION_DIGITS, MAX_OFFSET_HOURS, MAX_OFFSET_MINUTES
from txnpipe.domain.version import CONTRACT_VERSION
from txnpipe.status import FileStatus

FILE_NAME: Final = "rules.json"


def facts() -> dict[str, Any]:
    """Every rule a change of which a partner could notice, keyed by a stable name."""
    return {
        "contract_version": CONTRACT_VERSION,
        "fields": {
            rule.name: {"required": rule.required, "max_length": rule.max_length, "pattern": rule.pattern,
                        "enum": list(rule.enum) if rule.enum is not None else None, "unique": rule.unique,
                        "json_number": rule.json_number}
            for rule in field_rules()
        },
        "currencies": dict(SUPPORTED_CURRENCIES),
        "limits": {
            "amount.max_integer_digits": MAX_INTEGER_DIGITS,
            "timestamp.max_fraction_digits": MAX_FRACTION_DIGITS,
            "timestamp.max_offset_hours": MAX_OFFSET_HOURS,
            "timestamp.max_offset_minutes": MAX_OFFSET_MINUTES,
            "api.transactions.max_body_bytes": transactions.MAX_BODY_BYTES,
            "api.uploads.max_body_bytes": uploads.MAX_BODY_BYTES,
        },
        "upload_formats": list(uploads.FORMATS),
        "file_statuses": [status.value for status in FileStatus],
    }

"""Schemas of the partner API's bodies (OpenAPI 3.1 components), from the names the handlers use.

Property names come from the code (`ERROR_FIELDS`, `FILE_FIELDS`, `TRANSACTION_FIELDS`, the request
models); the types of the stored views are described here and a name without a type fails generation.
"""

from __future__ import annotations

from typing import Any, Final

from contract.json_schema import transaction_schema
from stacks.api.models import UPLOAD_SCHEMA
from txnpipe.api.http import ERROR_FIELDS
from txnpipe.api.uploads import EXPIRES_IN_S, FORMATS
from txnpipe.api.views import FILE_FIELDS, STORED, TRANSACTION_FIELDS
from txnpipe.domain.rules import FIELDS, REQUIRED_FIELDS
from txnpipe.status import FileStatus

_TEXT: Final = {"type": "string"}
_COUNT: Final = {"type": "integer", "minimum": 0}
_INSTANT: Final = {"type": "string", "description": "UTC, ISO 8601 (e.g. 2026-11-25T10:00:00.000000Z)"}
_STATUSES: Final = [status.value for status in FileStatus]

_FILE_TYPES: Final[dict[str, dict[str, Any]]] = {
    "file_id": _TEXT,
    "status": {"type": "string", "enum": _STATUSES},
    "rows_total": _COUNT, "rows_valid": _COUNT, "rows_rejected": _COUNT,
    "rows_stored": {**_COUNT, "description": "valid rows this file stored"},
    "rows_replayed": {**_COUNT, "description": "valid rows already stored with the same content (not rewritten)"},
    "rows_conflicting": {**_COUNT, "description": "valid rows whose id is stored with other content (quarantined)"},
    "reason": {"type": "string", "description": "why the file was REJECTED or FAILED"},
    "updated_at": _INSTANT,
    "status_history": {"type": "object", "description": "status → when the file reached it",
                       "propertyNames": {"enum": _STATUSES}, "additionalProperties": _INSTANT},
    "contract_version": {"type": "string", "description": "the data contract version that judged the file"},
}  # fmt: skip
DERIVED_FIELDS: Final[dict[str, dict[str, Any]]] = {
    "amount_minor": {"type": "integer", "description": "the amount in minor units (cents; yen for JPY)"},
    "signed_amount_minor": {"type": "integer", "description": "negative for DEBIT"},
    "timestamp_utc": {"type": "string", "description": "the timestamp in UTC, YYYY-MM-DDTHH:MM:SSZ"},
    "file_id": {"type": "string", "description": "the file the transaction came in (absent for the API)"},
    "source_row": {"type": "integer", "minimum": 1, "description": "its data row in that file"},
    "ingested_at": _INSTANT,
    "source": {"type": "string", "description": "`api` for transactions posted to the API"},
}  # fmt: skip


def _typed(names: tuple[str, ...], types: dict[str, dict[str, Any]], what: str) -> dict[str, Any]:
    missing = [name for name in names if name not in types]
    if missing:
        raise ValueError(f"{what}: no type for {missing} in contract.api_bodies")
    return {name: types[name] for name in names}


def components() -> dict[str, dict[str, Any]]:
    """The named schemas the operations refer to."""
    transaction = {k: v for k, v in transaction_schema().items() if k not in ("$schema", "$id", "x-contract-version")}
    sent = {name: {"$ref": f"#/components/schemas/Transaction/properties/{name}"} for name in FIELDS}
    stored = _typed(TRANSACTION_FIELDS, sent | DERIVED_FIELDS, "TRANSACTION_FIELDS")
    upload = {k: v for k, v in UPLOAD_SCHEMA.items() if k != "$schema"}
    return {
        "Transaction": transaction,
        "Error": {
            "type": "object", "required": list(ERROR_FIELDS), "additionalProperties": False,
            "properties": {"message": _TEXT, "reasons": {"type": "array", "items": _TEXT}, "request_id": _TEXT},
        },
        "TransactionStored": _closed({"transaction_id": _TEXT, "status": {"const": STORED}, "ingested_at": _INSTANT}),
        "StoredTransaction": _closed({"status": {"const": STORED}, **stored}, required=("status", *REQUIRED_FIELDS)),
        "UploadRequest": upload | {"description": f"the file's format, {FORMATS[0]} when absent (also for a request "
                                                  f"without a body)"},
        "UploadTarget": _closed({
            "file_id": {"type": "string", "pattern": "^[0-9a-f]{32}$"}, "key": _TEXT,
            "upload_url": {"type": "string", "format": "uri"}, "method": {"const": "PUT"},
            "headers": {"type": "object", "additionalProperties": _TEXT,
                        "description": "send every one of these headers with the PUT (SSE-KMS)"},
            "expires_in": {"const": EXPIRES_IN_S, "description": "seconds the URL stays valid"},
            "status_url": _TEXT,
        }),
        "File": _closed(_typed(FILE_FIELDS, _FILE_TYPES, "FILE_FIELDS"), required=("file_id", "status")),
    }


def _closed(properties: dict[str, Any], *, required: tuple[str, ...] | None = None) -> dict[str, Any]:
    names = list(properties) if required is None else list(required)
    return {"type": "object", "required": names, "properties": properties, "additionalProperties": False}

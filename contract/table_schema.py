"""Frictionless Table Schema of the CSV layout (plus the CSV dialect the contract means)."""

from __future__ import annotations

from typing import Any, Final

from contract.fields import EXAMPLE, FieldRule, field_rules
from txnpipe.domain.version import CONTRACT_VERSION

FILE_NAME: Final = "transactions.tableschema.json"
#: RFC 4180 as the contract reads it; `header` row first; UTF-8 with an optional BOM; LF or CRLF.
DIALECT: Final = {"delimiter": ",", "quoteChar": '"', "doubleQuote": True, "header": True}
ENCODING: Final = "utf-8"


def field_descriptor(rule: FieldRule) -> dict[str, Any]:
    """One Table Schema field: every column is read as text (the rules judge the text as written)."""
    constraints: dict[str, Any] = {"required": rule.required}
    if rule.max_length is not None:
        constraints["maxLength"] = rule.max_length
    if rule.pattern is not None:
        constraints["pattern"] = rule.pattern  # XML Schema style: matches the whole value
    if rule.enum is not None:
        constraints["enum"] = list(rule.enum)
    if rule.unique:
        constraints["unique"] = True
    return {
        "name": rule.name, "type": "string", "format": "default", "description": rule.description,
        "example": EXAMPLE[rule.name], "constraints": constraints,
    }


def table_schema() -> dict[str, Any]:
    """The Table Schema descriptor: column names exact (order free, extra columns ignored)."""
    return {
        "title": "txnpipe transactions CSV",
        "description": (
            "One row per transaction, header first; columns matched by exact name in any order, unknown "
            "columns ignored; an empty cell is a missing value. The amount's fraction digits per currency "
            "and calendar validity are not expressible here: see README.md next to this file."
        ),
        "x-contract-version": CONTRACT_VERSION,
        "x-csv-dialect": DIALECT,
        "x-encoding": ENCODING,
        "fields": [field_descriptor(rule) for rule in field_rules()],
        # Table Schema v2: columns matched by name; optional ones may be absent, unknown ones are ignored
        # (frictionless still reports a missing required column, as the contract rejects such a file).
        "fieldsMatch": "partial",
        "missingValues": [""],
    }

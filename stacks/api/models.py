"""Request models (JSON Schema draft-04) the gateway validates before any function runs.

They mirror the contract's shape (required fields, types, lengths, patterns); the function
applies the full rules again (currency minor units, calendar dates, offsets), so the
gateway check is a cheap first filter, never the only one.
"""

from __future__ import annotations

import json
from typing import Any

_ID = {"type": "string", "minLength": 1, "maxLength": 64, "pattern": "^[A-Za-z0-9_-]+$"}
CURRENCIES = ("USD", "EUR", "GBP", "JPY", "CHF", "CAD", "AUD", "NZD", "SEK", "NOK", "DKK", "SGD", "HKD",
              "INR", "BRL", "MXN", "ZAR", "PLN", "CZK")

TRANSACTION_SCHEMA: dict[str, Any] = {
    "$schema": "http://json-schema.org/draft-04/schema#",
    "title": "Transaction",
    "type": "object",
    "required": ["transaction_id", "account_id", "amount", "currency", "transaction_type", "timestamp"],
    "properties": {
        "transaction_id": _ID,
        "account_id": _ID,
        "amount": {"type": ["string", "number"], "pattern": "^[0-9]+(\\.[0-9]+)?$"},
        "currency": {"type": "string", "enum": list(CURRENCIES)},
        "transaction_type": {"type": "string", "enum": ["DEBIT", "CREDIT", "TRANSFER"]},
        "timestamp": {"type": "string", "minLength": 20, "maxLength": 40},
        "merchant_id": {"type": ["string", "null"], "maxLength": 64, "pattern": "^[A-Za-z0-9_-]*$"},
        "description": {"type": ["string", "null"], "maxLength": 256},
    },
}

# `format` is optional (csv when absent), as the function reads it. API Gateway validates a request
# without a body as `{}`, so a model requiring `format` refused the body-less request the API documents.
UPLOAD_SCHEMA: dict[str, Any] = {
    "$schema": "http://json-schema.org/draft-04/schema#",
    "title": "UploadRequest",
    "type": "object",
    "properties": {"format": {"type": "string", "enum": ["csv", "json"]}},
    "additionalProperties": False,
}


def schema_json(schema: dict[str, Any]) -> str:
    """Stable JSON text of a schema (the deployment trigger hashes it)."""
    return json.dumps(schema, sort_keys=True)

"""Pure domain code of the transaction pipeline: row rules, file processing, chunk planning.

No AWS imports here; Lambda handlers adapt S3/DynamoDB to these functions.
"""

from txnpipe.domain.jsonutil import JsonNumber, loads_json
from txnpipe.domain.rules import (
    FIELDS,
    REQUIRED_FIELDS,
    SUPPORTED_CURRENCIES,
    TRANSACTION_TYPES,
    Transaction,
    validate_record,
)

__all__ = [
    "FIELDS",
    "REQUIRED_FIELDS",
    "SUPPORTED_CURRENCIES",
    "TRANSACTION_TYPES",
    "JsonNumber",
    "Transaction",
    "loads_json",
    "validate_record",
]

"""The partner API's operations: paths named once, for the api stack (routes) and the handlers (dispatch)."""

from __future__ import annotations

from typing import Final

TRANSACTIONS: Final = "/transactions"
TRANSACTION: Final = "/transactions/{transaction_id}"
UPLOADS: Final = "/uploads"
FILE: Final = "/files/{file_id}"
#: (method, path) of every operation the API serves.
OPERATIONS: Final = (("POST", TRANSACTIONS), ("GET", TRANSACTION), ("POST", UPLOADS), ("GET", FILE))
#: The header API Gateway reads the API key from (`api_key_source = "HEADER"`).
API_KEY_HEADER: Final = "x-api-key"

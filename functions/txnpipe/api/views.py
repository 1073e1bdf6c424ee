"""What GET /files/{id} and GET /transactions/{id} show of a stored item."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

#: The status of a transaction the API stored (POST /transactions answers it; GET shows it).
STORED: Final = "STORED"
FILE_FIELDS = (
    "file_id", "status", "rows_total", "rows_valid", "rows_rejected", "rows_stored", "rows_replayed",
    "rows_conflicting", "reason", "updated_at", "status_history", "contract_version",
)  # fmt: skip
TRANSACTION_FIELDS = (
    "transaction_id", "account_id", "amount", "currency", "transaction_type", "timestamp", "timestamp_utc",
    "merchant_id", "description", "amount_minor", "signed_amount_minor", "file_id", "source_row",
    "ingested_at", "source",
)  # fmt: skip


def owned_by(item: Mapping[str, Any] | None, partner_id: str) -> bool:
    """True when `item` exists and belongs to `partner_id` (anything else is answered 404)."""
    return item is not None and item.get("partner_id") == partner_id


def file_view(item: Mapping[str, Any]) -> dict[str, Any]:
    """Status, counts and reason of a file."""
    return {k: item[k] for k in FILE_FIELDS if k in item}


def transaction_view(item: Mapping[str, Any]) -> dict[str, Any]:
    """A stored transaction as the partner sent it plus what the pipeline derived."""
    return {"status": STORED, **{k: item[k] for k in TRANSACTION_FIELDS if k in item}}

"""DynamoDB item shape of a stored transaction (shared by the file load and the API)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any


def transaction_key(partner_id: str, transaction_id: str) -> str:
    """Table key: ids are unique per partner, and a partner's bulk load spreads over partitions."""
    return f"{partner_id}#{transaction_id}"


def account_key(partner_id: str, account_id: str) -> str:
    """GSI key of one account of one partner (velocity checks, statements)."""
    return f"{partner_id}#{account_id}"


def item_from_row(row: Mapping[str, Any], partner_id: str) -> dict[str, Any]:
    """A processed Parquet row (plus its partner) as a `transactions` table item."""
    item = {k: v for k, v in row.items() if v is not None and v != ""}
    stamp = item["timestamp_utc"]
    if isinstance(stamp, datetime):
        item["timestamp_utc"] = stamp.strftime("%Y-%m-%dT%H:%M:%S") + (
            f".{stamp.microsecond:06d}Z" if stamp.microsecond else "Z")
    item["partner_id"] = partner_id
    item["transaction_key"] = transaction_key(partner_id, item["transaction_id"])
    item["account_key"] = account_key(partner_id, item["account_id"])
    return item

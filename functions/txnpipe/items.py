"""DynamoDB item shape of a stored transaction (shared by the file load and the API)."""

from __future__ import annotations

import zlib
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from txnpipe.layout import DAY_SHARD_ATTRIBUTE, DAY_SHARDS

_SHARD_DIGITS = len(str(DAY_SHARDS - 1))


def transaction_key(partner_id: str, transaction_id: str) -> str:
    """Table key: ids are unique per partner, and a partner's bulk load spreads over partitions."""
    return f"{partner_id}#{transaction_id}"


def account_key(partner_id: str, account_id: str) -> str:
    """GSI key of one account of one partner (velocity checks, statements)."""
    return f"{partner_id}#{account_id}"


def day_shard(key: str) -> int:
    """The write shard of a table key: CRC-32 of it, so a re-written item keeps its shard and keys spread evenly."""
    return zlib.crc32(key.encode("utf-8")) % DAY_SHARDS


def day_shard_key(day: str, shard: int) -> str:
    """DAY_INDEX partition key of one shard of one UTC day (`2026-12-02#07`)."""
    if not 0 <= shard < DAY_SHARDS:
        raise ValueError(f"shard must be in [0, {DAY_SHARDS}), got {shard}")
    return f"{day}#{shard:0{_SHARD_DIGITS}d}"


def day_shard_keys(day: str) -> list[str]:
    """Every DAY_INDEX partition key of one UTC day: a day's read queries each of them."""
    return [day_shard_key(day, shard) for shard in range(DAY_SHARDS)]


def with_day_shard(item: dict[str, Any]) -> dict[str, Any]:
    """`item` plus its DAY_INDEX key, from its UTC day (`timestamp_utc`'s date) and its table key."""
    stamp = item.get("timestamp_utc")
    if not isinstance(stamp, str) or len(stamp) < 10 or stamp[4] != "-" or stamp[7] != "-":
        raise ValueError(f"timestamp_utc must be an ISO-8601 UTC string, got {stamp!r}")
    return {**item, DAY_SHARD_ATTRIBUTE: day_shard_key(stamp[:10], day_shard(str(item["transaction_key"])))}


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
    return with_day_shard(item)

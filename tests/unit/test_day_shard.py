"""The day index key every stored transaction carries: `<UTC day>#<shard>`, stable per item, spread over DAY_SHARDS."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

import pytest

from txnpipe.api.keys import keyed_item
from txnpipe.items import day_shard, day_shard_key, day_shard_keys, item_from_row, transaction_key, with_day_shard
from txnpipe.layout import DAY_SHARD_ATTRIBUTE, DAY_SHARDS


def test_a_shard_key_is_the_day_and_a_zero_padded_shard() -> None:
    # Given a day and a shard, When the key is formed, Then it is "<day>#<shard>" padded to DAY_SHARDS' width
    assert day_shard_key("2026-12-02", 7) == "2026-12-02#07"
    assert day_shard_key("2026-12-02", DAY_SHARDS - 1) == f"2026-12-02#{DAY_SHARDS - 1}"


def test_a_shard_outside_the_range_is_refused_by_name() -> None:
    # Given a shard number DAY_SHARDS, When its key is formed, Then the error names the valid range
    with pytest.raises(ValueError, match=rf"shard must be in \[0, {DAY_SHARDS}\), got {DAY_SHARDS}"):
        day_shard_key("2026-12-02", DAY_SHARDS)


def test_a_day_has_one_distinct_key_per_shard() -> None:
    # Given a day, When its keys are listed, Then there are DAY_SHARDS distinct ones, all of that day
    keys = day_shard_keys("2026-12-02")
    assert len(set(keys)) == DAY_SHARDS
    assert all(key.startswith("2026-12-02#") for key in keys)


def test_the_shard_of_a_key_is_stable_and_in_range() -> None:
    # Given one table key, When its shard is derived twice, Then both agree and lie in [0, DAY_SHARDS)
    key = transaction_key("acme", "T-1")
    assert day_shard(key) == day_shard(key)
    assert 0 <= day_shard(key) < DAY_SHARDS


def test_one_partners_sequential_ids_spread_evenly_over_the_shards() -> None:
    # Given 40,000 sequential ids of one partner (a bulk file), When sharded
    counts = Counter(day_shard(transaction_key("acme", f"T-{n:08d}")) for n in range(40_000))
    # Then every shard gets within 10 % of its even share (no hot index partition)
    share = 40_000 / DAY_SHARDS
    assert len(counts) == DAY_SHARDS
    assert max(counts.values()) < share * 1.1
    assert min(counts.values()) > share * 0.9


def test_the_day_is_the_utc_date_of_the_transaction() -> None:
    # Given an item stamped late on Dec 2 UTC, When keyed, Then its day index key is of Dec 2
    item = with_day_shard({"transaction_key": "acme#T-1", "timestamp_utc": "2026-12-02T23:59:59.5Z"})
    assert item[DAY_SHARD_ATTRIBUTE] == day_shard_key("2026-12-02", day_shard("acme#T-1"))


def test_an_item_without_a_utc_timestamp_string_is_refused_by_name() -> None:
    # Given an item whose timestamp is missing, When keyed, Then the error names timestamp_utc
    with pytest.raises(ValueError, match="timestamp_utc must be an ISO-8601 UTC string, got None"):
        with_day_shard({"transaction_key": "acme#T-1"})


def test_the_file_loader_item_carries_the_day_index_key() -> None:
    # Given a processed Parquet row (timestamp as a datetime), When it becomes an item
    row = {"transaction_id": "T-1", "account_id": "A1", "timestamp_utc": datetime(2026, 12, 2, 8, 30, tzinfo=UTC)}
    item = item_from_row(row, "acme")
    # Then it carries the day index key of its UTC day and its table key's shard
    assert item[DAY_SHARD_ATTRIBUTE] == day_shard_key("2026-12-02", day_shard("acme#T-1"))


def test_the_api_item_carries_the_same_day_index_key() -> None:
    # Given the same transaction posted to the API, When keyed, Then its day index key equals the loader's
    item = keyed_item({"partner_id": "acme", "transaction_id": "T-1", "account_id": "A1",
                       "timestamp_utc": "2026-12-02T08:30:00Z"})
    assert item[DAY_SHARD_ATTRIBUTE] == day_shard_key("2026-12-02", day_shard("acme#T-1"))

"""Aggregator against moto: per account/merchant/currency totals; re-runs never double count; only the day is read."""

from __future__ import annotations

import json
import random
from collections import defaultdict
from typing import Any

import boto3
import pytest

from tests.handlers.conftest import FakeContext
from tests.handlers.test_api_support import create_transactions_table
from txnpipe.aggregation.backfill import backfill
from txnpipe.items import with_day_shard
from txnpipe.layout import DAY_SHARD_ATTRIBUTE

RUN = {"scheduled_time": "2026-11-25T12:05:00Z"}


def txn(tid: str, account: str, kind: str, minor: int, ts: str, merchant: str | None = "M1",
        currency: str = "USD") -> dict[str, Any]:
    item = {"transaction_key": f"acme#{tid}", "account_key": f"acme#{account}", "partner_id": "acme",
            "transaction_id": tid, "account_id": account, "currency": currency, "transaction_type": kind,
            "amount_minor": minor, "signed_amount_minor": -minor if kind == "DEBIT" else minor, "timestamp_utc": ts}
    return with_day_shard(item | ({"merchant_id": merchant} if merchant else {}))


@pytest.fixture
def env(aws: None, monkeypatch: pytest.MonkeyPatch) -> Any:
    kms = boto3.client("kms").create_key()["KeyMetadata"]["Arn"]
    for key, value in {"TRANSACTIONS_TABLE": "transactions", "AGGREGATES_BUCKET": "processed",
                       "KMS_KEY_ARN": kms}.items():
        monkeypatch.setenv(key, value)
    boto3.client("s3").create_bucket(Bucket="processed")
    table = create_transactions_table()
    for item in [txn("1", "A1", "DEBIT", 1000, "2026-11-25T08:00:00Z"),
                 txn("2", "A1", "CREDIT", 250, "2026-11-25T09:00:00Z"),
                 txn("3", "A1", "DEBIT", 500, "2026-11-25T10:00:00Z", merchant=None),
                 txn("4", "A2", "TRANSFER", 700, "2026-11-25T11:00:00Z"),
                 txn("5", "A1", "DEBIT", 300, "2026-11-25T11:30:00Z", currency="EUR"),
                 txn("6", "A1", "DEBIT", 9999, "2026-11-24T23:00:00Z")]:  # yesterday: not today's window
        table.put_item(Item=item)
    return table


def run(event: dict[str, Any] = RUN) -> dict[str, Any]:
    from aggregator.handler import handler

    return handler(event, FakeContext())  # type: ignore[arg-type]


def stored(day: str = "2026-11-25") -> dict[str, dict[str, Any]]:
    body = boto3.client("s3").get_object(Bucket="processed", Key=f"aggregates/day={day}/totals.jsonl")["Body"].read()
    return {row["group_key"]: row for row in map(json.loads, body.decode().splitlines())}


def test_totals_per_account_merchant_and_currency_in_minor_units(env: Any) -> None:
    assert run()["days"] == ["2026-11-25"]
    rows = stored()
    a1 = rows["account#acme#A1#USD"]
    assert (a1["count"], a1["debit_minor"], a1["credit_minor"], a1["net_minor"]) == (3, 1500, 250, -1250)
    assert rows["account#acme#A1#EUR"]["count"] == 1
    m1 = rows["merchant#acme#M1#USD"]
    assert (m1["count"], m1["debit_minor"], m1["credit_minor"], m1["transfer_minor"]) == (3, 1000, 250, 700)
    assert rows["account#acme#A2#USD"]["transfer_minor"] == 700
    assert all(isinstance(row["net_minor"], int) for row in rows.values())


def test_two_runs_over_the_same_window_give_the_same_totals(env: Any) -> None:
    run()
    first = boto3.client("s3").get_object(Bucket="processed", Key="aggregates/day=2026-11-25/totals.jsonl")
    run()
    second = boto3.client("s3").get_object(Bucket="processed", Key="aggregates/day=2026-11-25/totals.jsonl")
    assert first["Body"].read() == second["Body"].read()


def test_a_later_run_includes_new_transactions_without_double_counting_old_ones(env: Any) -> None:
    run()
    env.put_item(Item=txn("7", "A1", "DEBIT", 5, "2026-11-25T12:01:00Z"))
    run({"scheduled_time": "2026-11-25T12:10:00Z"})
    assert stored()["account#acme#A1#USD"]["count"] == 4
    assert stored()["account#acme#A1#USD"]["debit_minor"] == 1505


def test_an_older_run_never_overwrites_a_newer_one(env: Any) -> None:
    run({"scheduled_time": "2026-11-25T12:10:00Z"})
    env.put_item(Item=txn("8", "A1", "DEBIT", 5, "2026-11-25T12:01:00Z"))
    run()  # the 12:05 run, retried late
    assert stored()["account#acme#A1#USD"]["as_of"] == "2026-11-25T12:10:00Z"


def test_just_after_midnight_the_previous_day_is_finished_too(env: Any) -> None:
    result = run({"scheduled_time": "2026-11-25T00:05:00Z"})
    assert result["days"] == ["2026-11-24", "2026-11-25"]
    assert stored("2026-11-24")["account#acme#A1#USD"]["debit_minor"] == 9999


def seeded_day(table: Any, *, day: str, rows: int, seed: int) -> list[dict[str, Any]]:
    """`rows` varied transactions on `day` (seeded), stored; returns them."""
    rng = random.Random(seed)
    items = [txn(f"{day}-{n}", rng.choice(["A1", "A2", "A3"]), rng.choice(["DEBIT", "CREDIT", "TRANSFER"]),
                 rng.randint(1, 10**6), f"{day}T{rng.randint(0, 11):02d}:{rng.randint(0, 59):02d}:00Z",
                 merchant=rng.choice(["M1", "M2", None]), currency=rng.choice(["USD", "EUR"])) for n in range(rows)]
    with table.batch_writer() as batch:
        for item in items:
            batch.put_item(Item=item)
    return items


def reference_totals(items: list[dict[str, Any]]) -> dict[str, dict[str, int]]:
    """Totals per group computed the plain way: a sum per group and field."""
    out: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for item in items:
        kind = str(item["transaction_type"]).lower()
        for dimension, value in (("account", item["account_id"]), ("merchant", item.get("merchant_id"))):
            if value:
                group = out[f"{dimension}#{item['partner_id']}#{value}#{item['currency']}"]
                group["count"] += 1
                group[f"{kind}_minor"] += item["amount_minor"]
                group["net_minor"] += item["signed_amount_minor"]
    return out


def test_a_days_totals_equal_a_reference_computation(env: Any) -> None:
    # Given 300 varied transactions today (across every shard) besides the fixture's
    items = seeded_day(env, day="2026-11-25", rows=300, seed=1)
    fixture = [env.get_item(Key={"transaction_key": f"acme#{n}"})["Item"] for n in "12345"]
    # When the aggregator runs
    run()
    # Then every stored group equals the reference sums, and no group is missing or extra
    expected = reference_totals(items + fixture)
    rows = stored()
    assert set(rows) == set(expected)
    for group, totals in expected.items():
        fields = ("count", "debit_minor", "credit_minor", "transfer_minor", "net_minor")
        assert {f: rows[group][f] for f in fields} == {f: totals.get(f, 0) for f in fields}, group


def test_items_of_other_days_are_not_read(env: Any) -> None:
    # Given 500 transactions on other days around today's 5 (2026-11-24 has the fixture's 6th too)
    for seed, day in enumerate(["2026-11-20", "2026-11-24", "2026-11-26"]):
        seeded_day(env, day=day, rows=500 // 3, seed=seed)
    # When the aggregator runs at 12:05 on 2026-11-25
    result = run()
    # Then DynamoDB read today's 5 items only, one Query per shard
    assert result["items_read"] == 5
    assert result["groups"] == len(stored())


def test_a_rerun_reads_and_writes_the_same(env: Any) -> None:
    # Given many transactions today, When the same window runs twice
    seeded_day(env, day="2026-11-25", rows=200, seed=2)
    first = run()
    body_1 = boto3.client("s3").get_object(Bucket="processed", Key="aggregates/day=2026-11-25/totals.jsonl")["Body"].read()
    second = run()
    body_2 = boto3.client("s3").get_object(Bucket="processed", Key="aggregates/day=2026-11-25/totals.jsonl")["Body"].read()
    # Then both read the same items and stored identical bytes
    assert first["items_read"] == second["items_read"] == 205
    assert body_1 == body_2


def test_an_item_stored_before_the_day_index_is_counted_once_backfilled(env: Any) -> None:
    # Given a transaction of today stored without the day index key (written before the index existed)
    legacy = txn("old", "A9", "DEBIT", 42, "2026-11-25T07:00:00Z")
    del legacy[DAY_SHARD_ATTRIBUTE]
    env.put_item(Item=legacy)
    # When the aggregator runs, Then it does not see it
    assert "account#acme#A9#USD" not in (run(), stored())[1]
    # When the backfill runs, Then it keys that one item, and the next run counts it
    assert backfill(env) == 1
    run({"scheduled_time": "2026-11-25T12:10:00Z"})
    assert stored()["account#acme#A9#USD"]["debit_minor"] == 42


def test_a_second_backfill_finds_nothing_to_do(env: Any) -> None:
    # Given a table whose items all carry the day index key, When the backfill runs, Then it updates none
    assert backfill(env) == 0

"""Aggregator against moto: per account/merchant/currency totals; re-runs never double count."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest

from tests.handlers.conftest import FakeContext
from tests.handlers.test_api_support import create_transactions_table

RUN = {"scheduled_time": "2026-11-25T12:05:00Z"}


def txn(tid: str, account: str, kind: str, minor: int, ts: str, merchant: str | None = "M1",
        currency: str = "USD") -> dict[str, Any]:
    item = {"transaction_key": f"acme#{tid}", "account_key": f"acme#{account}", "partner_id": "acme",
            "transaction_id": tid, "account_id": account, "currency": currency, "transaction_type": kind,
            "amount_minor": minor, "signed_amount_minor": -minor if kind == "DEBIT" else minor, "timestamp_utc": ts}
    return item | ({"merchant_id": merchant} if merchant else {})


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

"""The aggregator reads one day at a time: the transactions table's day index, and an IAM grant on that index only."""

from __future__ import annotations

import json
from typing import Any

from tests.synth import Synth
from txnpipe.aggregation.rollup import ROLLUP_FIELDS
from txnpipe.layout import DAY_INDEX, DAY_SHARD_ATTRIBUTE


def transactions_table(synth: Synth) -> dict[str, Any]:
    tables = synth.resources("storage", "aws_dynamodb_table").values()
    return next(t for t in tables if t["name"].startswith("txnpipe-transactions-"))


def day_index(synth: Synth) -> dict[str, Any]:
    return next(i for i in transactions_table(synth)["global_secondary_index"] if i["name"] == DAY_INDEX)


def aggregator_statements(synth: Synth) -> list[dict[str, Any]]:
    policies = {p["name"]: json.loads(p["policy"]) for p in synth.resources("api", "aws_iam_role_policy").values()}
    statements: list[dict[str, Any]] = policies["aggregate"]["Statement"]
    return statements


def test_the_day_index_is_keyed_by_day_shard_and_time(local: Synth) -> None:
    # Given the synthesized transactions table, When its day index is read, Then day shard is hash, time is range
    index = day_index(local)
    assert (index["hash_key"], index["range_key"]) == (DAY_SHARD_ATTRIBUTE, "timestamp_utc")
    assert {"name": DAY_SHARD_ATTRIBUTE, "type": "S"} in transactions_table(local)["attribute"]


def test_the_day_index_projects_exactly_what_the_rollup_reads(local: Synth) -> None:
    # Given the day index, When its projection is read, Then it is INCLUDE of the rollup's non-key fields
    index = day_index(local)
    assert index["projection_type"] == "INCLUDE"
    assert set(index["non_key_attributes"]) | {index["range_key"]} == set(ROLLUP_FIELDS)


def test_the_existing_account_index_is_unchanged(local: Synth) -> None:
    # Given the table, When the account index is read, Then it keeps its keys and ALL projection (no rebuild)
    account = next(i for i in transactions_table(local)["global_secondary_index"] if i["name"] == "account-timestamp-index")
    assert (account["hash_key"], account["range_key"], account["projection_type"]) == (
        "account_key", "timestamp_utc", "ALL")


def test_the_aggregator_may_only_query_the_day_index(local: Synth, prod: Synth) -> None:
    # Given the aggregator's role policy in both workspaces
    for synth in (local, prod):
        dynamodb = [s for s in aggregator_statements(synth) if any(a.startswith("dynamodb:") for a in s["Action"])]
        # Then its one DynamoDB statement is Query on the day index's ARN (no Scan, nothing on the table itself)
        assert len(dynamodb) == 1
        assert dynamodb[0]["Action"] == ["dynamodb:Query"]
        assert dynamodb[0]["Resource"].endswith(f"/index/{DAY_INDEX}")

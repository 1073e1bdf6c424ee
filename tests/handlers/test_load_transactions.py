"""load_transactions against moto: every row of a multi-batch Parquet object lands once, re-runs are safe."""

from __future__ import annotations

import boto3
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from stacks.storage.stack import TRANSACTIONS
from tests.fake_aws import create_table
from tests.handlers.conftest import FakeContext


@pytest.fixture
def table(aws: None, monkeypatch: pytest.MonkeyPatch, tmp_path):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("TRANSACTIONS_TABLE", "transactions")
    monkeypatch.setenv("WRITERS", "3")
    boto3.client("s3").create_bucket(Bucket="processed")
    rows = 12_345  # more than two BATCH_ROWS batches
    data = pa.table({
        "transaction_id": [f"t{i}" for i in range(rows)], "account_id": ["a1"] * rows,
        "amount_minor": list(range(rows)),
        "timestamp_utc": pa.array([1_700_000_000_000_000] * rows, pa.timestamp("us", tz="UTC")),
    })
    pq.write_table(data, tmp_path / "part.parquet")
    boto3.client("s3").upload_file(str(tmp_path / "part.parquet"), "processed", "transactions/x.parquet")
    return create_table(TRANSACTIONS)


def test_all_rows_are_loaded_by_parallel_writers_and_a_rerun_stores_them_once(table) -> None:  # type: ignore[no-untyped-def]
    from load_transactions.handler import handler

    # Given a Parquet object of more than two batches and 3 writers (WRITERS)
    event = {"bucket": "processed", "key": "transactions/x.parquet", "partner_id": "p1"}
    # When it is loaded, and loaded again
    first = handler(event, FakeContext())["rows_loaded"]  # type: ignore[arg-type]
    again = handler(event, FakeContext())["rows_loaded"]  # type: ignore[arg-type]
    # Then each run loaded every row, and the table holds each row once
    assert first == 12_345
    assert again == 12_345
    pages = boto3.client("dynamodb").get_paginator("scan").paginate(TableName="transactions", Select="COUNT")
    assert sum(page["Count"] for page in pages) == 12_345
    # And an item is keyed per partner with its timestamp in UTC
    item = table.get_item(Key={"transaction_key": "p1#t42"})["Item"]
    assert item["account_key"] == "p1#a1"
    assert item["timestamp_utc"] == "2023-11-14T22:13:20Z"

"""Throttled reads and transactions (the emulator answers as DynamoDB does): the loader backs off, loses and doubles
nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import boto3
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from botocore.exceptions import ClientError

from localcloud.patches.dynamodb_throttling import throttle_reads, throttle_transactions
from stacks.storage.stack import FILES, TRANSACTIONS
from tests.fake_aws import create_table
from tests.handlers.conftest import FakeContext
from txnpipe import clients
from txnpipe.backoff import Backoff
from txnpipe.conditional_writes import put_new, stored_items
from txnpipe.errors import TransientError

ROWS = 3_000
LOADED = "lc-throttle-transactions"
FAST = Backoff(attempts=10, base_s=0.01, jitter=lambda: 1.0)  # jitter at its upper bound: the waits are exact


def _table(name: str, items: int = 0) -> Any:
    boto3.client("dynamodb").create_table(
        TableName=name, BillingMode="PAY_PER_REQUEST", AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}])
    table = boto3.resource("dynamodb").Table(name)
    with table.batch_writer() as batch:
        for n in range(items):
            batch.put_item(Item={"k": f"i{n}", "n": n})
    return table


def _count(name: str) -> int:
    pages = boto3.client("dynamodb").get_paginator("scan").paginate(TableName=name, Select="COUNT")
    return sum(page["Count"] for page in pages)


def test_a_throttled_batch_get_answers_the_keys_not_read_as_unprocessed_keys() -> None:
    # Given a table of 25 items whose next BatchGetItem reads 10 keys
    table = _table("lc-throttle-raw", items=25)
    keys = [{"k": f"i{n}"} for n in range(25)]
    with throttle_reads("lc-throttle-raw", served=10, requests=1):
        answer = table.meta.client.batch_get_item(RequestItems={"lc-throttle-raw": {"Keys": keys}})
    # Then 10 items come back, and the other 15 keys, unchanged, as unprocessed
    assert (len(answer["Responses"]["lc-throttle-raw"]), answer["UnprocessedKeys"]["lc-throttle-raw"]["Keys"]) == (
        10, keys[10:])


def test_a_throttled_transaction_is_canceled_with_throttling_reasons_and_writes_nothing() -> None:
    table = _table("lc-throttle-txn")
    with throttle_transactions("lc-throttle-txn", requests=1), pytest.raises(ClientError) as raised:
        table.meta.client.transact_write_items(TransactItems=[
            {"Put": {"TableName": "lc-throttle-txn", "Item": {"k": f"i{n}"}}} for n in range(3)])
    reasons = raised.value.response["CancellationReasons"]
    assert ([r["Code"] for r in reasons], _count("lc-throttle-txn")) == (["ThrottlingError"] * 3, 0)


def test_stored_items_reads_the_unprocessed_keys_again_after_growing_waits() -> None:
    # Given 60 stored items, and the next 3 reads serving 20 keys each
    table = _table("lc-throttle-read", items=60)
    waits: list[float] = []
    with throttle_reads("lc-throttle-read", served=20, requests=3):
        found = stored_items(table.meta.client, "lc-throttle-read", [f"i{n}" for n in range(70)], key="k",
                             backoff=FAST, sleep=waits.append)
    # Then all 60 stored items are found (10 keys hold nothing), after waits that double
    assert (len(found), waits) == (60, [0.02, 0.04, 0.08])


def test_put_new_sends_a_throttled_transaction_again_after_a_wait_and_stores_each_item_once() -> None:
    table = _table("lc-throttle-put")
    waits: list[float] = []
    with throttle_transactions("lc-throttle-put", requests=3) as report:
        kept, waited = put_new(table.meta.client, "lc-throttle-put", [{"k": f"i{n}"} for n in range(100)], key="k",
                               backoff=FAST, sleep=waits.append)
    assert (kept, waited, report[0].throttled_requests, _count("lc-throttle-put")) == ({}, 3, 3, 100)
    assert waits == [0.02, 0.04, 0.08]


def test_put_new_gives_up_with_a_transient_error_naming_the_table_and_what_is_left() -> None:
    table = _table("lc-throttle-give-up")
    with throttle_transactions("lc-throttle-give-up", requests=100), pytest.raises(TransientError) as raised:
        put_new(table.meta.client, "lc-throttle-give-up", [{"k": f"i{n}"} for n in range(10)], key="k",
                backoff=Backoff(attempts=3, base_s=0.001), sleep=lambda _: None)
    assert "lc-throttle-give-up: 10 of 10 items still not written after 3 attempts" in str(raised.value)


@pytest.fixture
def parquet_object(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    for name, value in {"TRANSACTIONS_TABLE": LOADED, "FILES_TABLE": "lc-throttle-files", "WRITERS": "3",
                        "QUARANTINE_BUCKET": "lc-throttle-quarantine", "POWERTOOLS_TRACE_DISABLED": "1",
                        "POWERTOOLS_METRICS_NAMESPACE": "txnpipe-test"}.items():
        monkeypatch.setenv(name, value)
    clients.reset()  # the handler's cached clients: this test's endpoint
    create_table(TRANSACTIONS, name=LOADED)
    create_table(FILES, name="lc-throttle-files").put_item(Item={"file_id": "f-1", "status": "PROCESSING"})
    boto3.client("s3").create_bucket(Bucket="lc-throttle-processed")
    data = pa.table({"transaction_id": [f"t{i}" for i in range(ROWS)], "account_id": ["a1"] * ROWS,
                     "amount": ["1.00"] * ROWS, "amount_minor": list(range(ROWS)),
                     "timestamp_utc": pa.array([1_700_000_000_000_000] * ROWS, pa.timestamp("us", tz="UTC")),
                     "file_id": ["f-1"] * ROWS, "source_row": list(range(2, ROWS + 2))})
    pq.write_table(data, tmp_path / "part.parquet")
    boto3.client("s3").upload_file(str(tmp_path / "part.parquet"), "lc-throttle-processed", "transactions/x.parquet")
    return {"bucket": "lc-throttle-processed", "key": "transactions/x.parquet", "partner_id": "p1"}


def test_the_loader_under_throttling_stores_and_counts_every_row_once(parquet_object: dict[str, str]) -> None:
    from load_transactions.handler import handler

    # Given the transactions table throttled for its next 6 transactions (fewer than a call's 10 attempts)
    # and its next 10 reads (20 of 100 keys read)
    with throttle_transactions(LOADED, requests=6) as writes, throttle_reads(LOADED, served=20, requests=10) as reads:
        # When the load function writes a 3,000-row object with 3 writers
        loaded = handler(parquet_object, FakeContext())["rows_loaded"]  # type: ignore[arg-type]
    # Then each throttle was hit in full, and the table and the file's record hold each of the 3,000 rows once
    record = boto3.resource("dynamodb").Table("lc-throttle-files").get_item(Key={"file_id": "f-1"})["Item"]
    assert (writes[0].throttled_requests, reads[0].throttled_requests) == (6, 10)
    assert (loaded, _count(LOADED), record["rows_stored"]) == (ROWS, ROWS, ROWS)

"""Throttled BatchWriteItem (the emulator hands part of each batch back): the loader retries with backoff, loses and
doubles nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import boto3
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from localcloud.patches.dynamodb_throttling import throttle_batch_writes
from stacks.storage.stack import TRANSACTIONS
from tests.fake_aws import create_table
from tests.handlers.conftest import FakeContext
from txnpipe import clients
from txnpipe.batch_write import Backoff, put_all
from txnpipe.errors import TransientError

ROWS = 3_000
LOADED = "lc-throttle-transactions"


def _table(name: str) -> Any:
    client = boto3.client("dynamodb")
    client.create_table(TableName=name, BillingMode="PAY_PER_REQUEST",
                        AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}],
                        KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}])
    return boto3.resource("dynamodb").Table(name)


def _count(name: str) -> int:
    pages = boto3.client("dynamodb").get_paginator("scan").paginate(TableName=name, Select="COUNT")
    return sum(page["Count"] for page in pages)


def test_a_throttled_batch_answers_the_withheld_requests_as_unprocessed_items() -> None:
    # Given a table whose next BatchWriteItem serves 10 of 25 items
    table = _table("lc-throttle-raw")
    requests = [{"PutRequest": {"Item": {"k": f"i{n}"}}} for n in range(25)]
    with throttle_batch_writes("lc-throttle-raw", served=10, requests=1):
        # When 25 puts are sent in one request
        answer = table.meta.client.batch_write_item(RequestItems={"lc-throttle-raw": requests})
    # Then the 15 not served come back unchanged, and only 10 items are stored
    assert (answer["UnprocessedItems"]["lc-throttle-raw"], _count("lc-throttle-raw")) == (requests[10:], 10)


def test_put_all_resends_the_unprocessed_items_after_growing_waits_until_all_are_stored() -> None:
    # Given a table whose next 6 batch requests are each served 5 items
    table = _table("lc-throttle-put")
    waits: list[float] = []
    with throttle_batch_writes("lc-throttle-put", served=5, requests=6) as report:
        # When 60 items (and one repeated key) are put with backoff (jitter at its upper bound)
        resent = put_all(table.meta.client, "lc-throttle-put", [{"k": f"i{n % 60}", "n": n} for n in range(61)],
                         key="k", backoff=Backoff(attempts=10, base_s=0.01, jitter=lambda: 1.0), sleep=waits.append)
    # Then every item is stored once, after 6 re-sends, and the repeated key keeps its last value
    assert (_count("lc-throttle-put"), resent, report[0].throttled_requests) == (60, 6, 6)
    assert table.get_item(Key={"k": "i0"})["Item"]["n"] == 60
    # And each batch waited twice as long before each re-send (batch 1: 4 re-sends, batch 2: 2)
    assert waits == [0.02, 0.04, 0.08, 0.16, 0.02, 0.04]


def test_put_all_gives_up_with_a_transient_error_naming_the_table_and_what_is_left() -> None:
    # Given a table that serves 1 item per request for longer than the attempts allowed
    table = _table("lc-throttle-give-up")
    with throttle_batch_writes("lc-throttle-give-up", served=1, requests=100), pytest.raises(TransientError) as raised:
        # When 10 items are put with 3 attempts
        put_all(table.meta.client, "lc-throttle-give-up", [{"k": f"i{n}"} for n in range(10)], key="k",
                backoff=Backoff(attempts=3, base_s=0.001), sleep=lambda _: None)
    # Then the error says what is still unprocessed (the state machine retries the idempotent load)
    assert "lc-throttle-give-up: 7 of 10 items still unprocessed after 3 attempts" in str(raised.value)


@pytest.fixture
def parquet_object(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    for name, value in {"TRANSACTIONS_TABLE": LOADED, "WRITERS": "3", "POWERTOOLS_TRACE_DISABLED": "1",
                        "POWERTOOLS_METRICS_NAMESPACE": "txnpipe-test"}.items():
        monkeypatch.setenv(name, value)
    clients.reset()  # the handler's cached clients: this test's endpoint
    create_table(TRANSACTIONS, name=LOADED)
    boto3.client("s3").create_bucket(Bucket="lc-throttle-processed")
    data = pa.table({"transaction_id": [f"t{i}" for i in range(ROWS)], "account_id": ["a1"] * ROWS,
                     "amount_minor": list(range(ROWS)),
                     "timestamp_utc": pa.array([1_700_000_000_000_000] * ROWS, pa.timestamp("us", tz="UTC"))})
    pq.write_table(data, tmp_path / "part.parquet")
    boto3.client("s3").upload_file(str(tmp_path / "part.parquet"), "lc-throttle-processed", "transactions/x.parquet")
    return {"bucket": "lc-throttle-processed", "key": "transactions/x.parquet", "partner_id": "p1"}


def test_the_loader_under_throttling_stores_every_row_once(parquet_object: dict[str, str]) -> None:
    from load_transactions.handler import handler

    # Given the transactions table throttled for the next 40 batch requests (10 of 25 items served)
    with throttle_batch_writes(LOADED, served=10, requests=40) as report:
        # When the load function writes a 3,000-row object with 3 writers
        loaded = handler(parquet_object, FakeContext())["rows_loaded"]  # type: ignore[arg-type]
    # Then 40 requests were cut short, and the table holds each of the 3,000 rows once
    assert (report[0].throttled_requests, loaded, _count(LOADED)) == (40, ROWS, ROWS)

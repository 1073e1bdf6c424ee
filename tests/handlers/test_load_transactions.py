"""load_transactions against moto: rows land once, re-runs count once, replays and conflicts keep the first value."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import boto3
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from stacks.storage.stack import FILES, TRANSACTIONS
from tests.fake_aws import create_table
from tests.handlers.conftest import FakeContext

ROWS = 6_000  # more than one BATCH_ROWS batch, so two writers run at once


def _rows(file_id: str, count: int, amount: str = "10.00") -> pa.Table:
    return pa.table({
        "transaction_id": [f"t{i}" for i in range(count)], "account_id": ["a1"] * count,
        "amount": [amount] * count, "currency": ["USD"] * count, "transaction_type": ["DEBIT"] * count,
        "timestamp": ["2023-11-14T22:13:20Z"] * count, "amount_minor": [1000] * count,
        "timestamp_utc": pa.array([1_700_000_000_000_000] * count, pa.timestamp("us", tz="UTC")),
        "file_id": [file_id] * count, "source_row": list(range(2, count + 2)),
    })


@pytest.fixture
def world(aws: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> dict[str, Any]:
    for key, value in (("TRANSACTIONS_TABLE", "transactions"), ("FILES_TABLE", "files"),
                       ("QUARANTINE_BUCKET", "quarantine"), ("WRITERS", "2")):
        monkeypatch.setenv(key, value)
    for bucket in ("processed", "quarantine"):
        boto3.client("s3").create_bucket(Bucket=bucket)
    files = create_table(FILES)
    for file_id in ("f-1", "f-2"):
        files.put_item(Item={"file_id": file_id, "status": "PROCESSING"})
    return {"transactions": create_table(TRANSACTIONS), "files": files, "tmp": tmp_path}


def _load(world: dict[str, Any], table: pa.Table, name: str) -> dict[str, Any]:
    from load_transactions.handler import handler

    path = world["tmp"] / f"{name}.parquet"
    pq.write_table(table, path)
    boto3.client("s3").upload_file(str(path), "processed", f"transactions/{name}.parquet")
    event = {"bucket": "processed", "key": f"transactions/{name}.parquet", "partner_id": "p1"}
    return handler(event, FakeContext())  # type: ignore[arg-type]


def _count(table: str) -> int:
    pages = boto3.client("dynamodb").get_paginator("scan").paginate(TableName=table, Select="COUNT")
    return sum(page["Count"] for page in pages)


def test_every_row_is_stored_once_by_parallel_writers(world: dict[str, Any]) -> None:
    # Given a Parquet object of two batches, when it is loaded
    answer = _load(world, _rows("f-1", ROWS), "a")
    # Then every row is stored, once
    assert answer["rows_loaded"] == ROWS
    assert _count("transactions") == ROWS


def test_a_stored_item_is_keyed_per_partner_with_its_time_in_utc(world: dict[str, Any]) -> None:
    _load(world, _rows("f-1", 50), "a")
    item = world["transactions"].get_item(Key={"transaction_key": "p1#t42"})["Item"]
    assert (item["account_key"], item["timestamp_utc"]) == ("p1#a1", "2023-11-14T22:13:20Z")


def test_loading_a_part_again_stores_and_counts_it_once(world: dict[str, Any]) -> None:
    # Given a loaded part, when the same part is loaded again (a retried child)
    _load(world, _rows("f-1", 300), "a")
    again = _load(world, _rows("f-1", 300), "a")
    # Then the second run finds its own rows, and the file's record counts them once
    assert again["rows_loaded"] == 300
    record = world["files"].get_item(Key={"file_id": "f-1"})["Item"]
    assert (record["rows_stored"], record["rows_replayed"], record["rows_conflicting"]) == (300, 0, 0)


def test_a_resent_file_is_a_replay_and_rewrites_nothing(world: dict[str, Any]) -> None:
    # Given f-1 stored 300 rows, when f-2 carries the same 300 transactions
    _load(world, _rows("f-1", 300), "a")
    answer = _load(world, _rows("f-2", 300), "b")
    # Then f-2 stored nothing and replayed every row, and the items still come from f-1
    assert (answer["rows_loaded"], answer["rows_replayed"]) == (0, 300)
    assert world["files"].get_item(Key={"file_id": "f-2"})["Item"]["rows_replayed"] == 300
    assert world["transactions"].get_item(Key={"transaction_key": "p1#t7"})["Item"]["file_id"] == "f-1"


def test_a_different_body_for_a_known_id_keeps_the_first_value(world: dict[str, Any]) -> None:
    # Given f-1 stored t0..t9 at 10.00, when f-2 sends t0..t9 at 12.00
    _load(world, _rows("f-1", 10), "a")
    answer = _load(world, _rows("f-2", 10, amount="12.00"), "b")
    # Then nothing of f-2 is stored, the first amount stays, and f-2 counts ten conflicts
    assert (answer["rows_loaded"], answer["rows_conflicting"]) == (0, 10)
    assert world["transactions"].get_item(Key={"transaction_key": "p1#t3"})["Item"]["amount"] == "10.00"
    assert world["files"].get_item(Key={"file_id": "f-2"})["Item"]["rows_conflicting"] == 10


def test_a_conflicting_row_is_quarantined_naming_the_earlier_file_and_row(world: dict[str, Any]) -> None:
    _load(world, _rows("f-1", 10), "a")
    _load(world, _rows("f-2", 10, amount="12.00"), "b")
    prefix = world["files"].get_item(Key={"file_id": "f-2"})["Item"]["conflicts_prefix"]
    listed = boto3.client("s3").list_objects_v2(Bucket="quarantine", Prefix=prefix)["Contents"]
    body = boto3.client("s3").get_object(Bucket="quarantine", Key=listed[0]["Key"])["Body"].read()
    first = json.loads(body.splitlines()[0])
    assert first["reason"] == ("transaction_id: already stored from file f-1, row 2, with different content; "
                               "the stored transaction is kept")
    assert first["raw"]["amount"] == "12.00"


def test_a_file_of_new_replayed_and_conflicting_rows_counts_each(world: dict[str, Any]) -> None:
    # Given f-1 stored t0..t4; f-2 sends t0..t2 unchanged, t3..t4 changed and t5..t9 new
    _load(world, _rows("f-1", 5), "a")
    mixed = pa.concat_tables([_rows("f-2", 3), _rows("f-2", 5, amount="9.99").slice(3), _rows("f-2", 10).slice(5)])
    answer = _load(world, mixed, "b")
    assert (answer["rows_loaded"], answer["rows_replayed"], answer["rows_conflicting"]) == (5, 3, 2)


def test_an_id_first_sent_through_the_api_is_named_as_such(world: dict[str, Any]) -> None:
    world["transactions"].put_item(Item={"transaction_key": "p1#t0", "transaction_id": "t0", "amount": "1.00",
                                         "source": "api", "ingested_at": "2026-12-01T10:00:00Z"})
    _load(world, _rows("f-1", 1), "a")
    body = boto3.client("s3").get_object(Bucket="quarantine", Key=boto3.client("s3").list_objects_v2(
        Bucket="quarantine")["Contents"][0]["Key"])["Body"].read()
    assert "already stored from the API at 2026-12-01T10:00:00Z" in json.loads(body)["reason"]


def test_a_part_of_an_unknown_file_is_refused(world: dict[str, Any]) -> None:
    with pytest.raises(LookupError, match="f-9 has no status record"):
        _load(world, _rows("f-9", 3), "z")

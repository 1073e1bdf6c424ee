"""`make status` against a files table and queues shaped as the stacks make them (moto)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import boto3
import pytest
from moto import mock_aws

from operations.status import FILES_PURPOSE, Status, gather, render
from txnpipe.layout import STATUS_INDEX

NOW = datetime(2026, 12, 2, 8, 0, tzinfo=UTC)


def _file(file_id: str, status: str, at: str) -> dict[str, Any]:
    return {"file_id": file_id, "status": status, "received_at": at, "updated_at": at}


@pytest.fixture
def status() -> Iterator[Status]:
    with mock_aws():
        dynamodb, sqs = boto3.resource("dynamodb", region_name="us-east-1"), boto3.client("sqs", region_name="us-east-1")
        table = dynamodb.create_table(
            TableName="txnpipe-files-t1", BillingMode="PAY_PER_REQUEST",
            KeySchema=[{"AttributeName": "file_id", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": n, "AttributeType": "S"} for n in ("file_id", "status", "updated_at")],
            GlobalSecondaryIndexes=[{"IndexName": STATUS_INDEX, "Projection": {"ProjectionType": "ALL"}, "KeySchema": [
                {"AttributeName": "status", "KeyType": "HASH"}, {"AttributeName": "updated_at", "KeyType": "RANGE"}]}])
        for item in (_file("a", "COMPLETED", "2026-12-02T07:00:00.000000Z"), _file("b", "COMPLETED", "2026-12-02T07:01:00Z"),
                     _file("c", "PROCESSING", "2026-12-02T07:40:00.000000Z"),
                     _file("d", "RECEIVED", "2026-12-02T06:30:00.000000Z")):
            table.put_item(Item=item)
        dlq = sqs.create_queue(QueueName="txnpipe-anomaly-dlq-t1")["QueueUrl"]
        sqs.send_message(QueueUrl=dlq, MessageBody="{}")
        sqs.create_queue(QueueName="txnpipe-anomaly-dlq-t2")  # another workspace's
        sqs.create_queue(QueueName="txnpipe-work-t1")  # not a dead-letter queue
        yield gather("t1", dynamodb=dynamodb, sqs=sqs, now=NOW)


def test_files_are_counted_by_status(status: Status) -> None:
    assert (status.by_status["COMPLETED"], status.by_status["PROCESSING"], status.by_status["FAILED"]) == (2, 1, 0)


def test_every_status_is_listed_even_when_empty(status: Status) -> None:
    assert set(status.by_status) >= {"RECEIVED", "VALIDATING", "PROCESSING", "COMPLETED", "REJECTED", "FAILED"}


def test_open_files_are_listed_oldest_first(status: Status) -> None:
    assert [f.file_id for f in status.oldest_open] == ["d", "c"]


def test_only_this_workspace_dead_letter_queues_are_listed_with_their_depth(status: Status) -> None:
    assert status.dlqs == {"txnpipe-anomaly-dlq-t1": (1, 0)}


def test_the_report_says_how_long_a_file_has_been_waiting(status: Status) -> None:
    line = next(line for line in render(status).splitlines() if line.strip().startswith("d "))
    assert "received 2026-12-02T06:30:00.000000Z (1h30m ago)" in line


def test_the_files_purpose_is_the_storage_stack_s() -> None:
    from stacks.storage.stack import FILES

    assert FILES.purpose == FILES_PURPOSE

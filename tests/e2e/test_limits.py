"""End to end within Step Functions' quotas: a file spanning 150 dates, cut into several chunks.

`local` lowers the large-file threshold to 256 KiB (chunks of 64 KiB), so a ~320 KB CSV takes the
Distributed Map path: chunk results through ResultWriter, ~150 Parquet objects listed in a
manifest and loaded by a Distributed Map. The emulator enforces the 256 KiB payload and 25,000-event
history quotas (localcloud/patches/stepfunctions_limits.py), so finishing here means finishing there.
"""

from __future__ import annotations

import datetime
import json
from typing import Any

import boto3
import pytest

from localcloud.patches.stepfunctions_limits import MAX_HISTORY_EVENTS
from localcloud.scenario import HEADER, FileOutcome, Pipeline

pytestmark = pytest.mark.e2e

DATES = 150
ROWS_PER_DATE = 8
# Wide rows keep the file over 256 KiB with few rows: every loaded row is also a DynamoDB stream record
# the api stack's consumers must work through before the later e2e tests' records.
PADDING = "x" * 200  # descriptions stay under the contract's 256 characters
KEY = "uploads/acme/e2e-year.csv"


def year_csv() -> bytes:
    """1,200 wide good rows over 150 consecutive dates, 3 bad currencies, and a later repeat of the first id."""
    first = datetime.date(2025, 1, 1)
    rows = [f"lim-{i:05d},acct-{i % 7},{10 + i % 90}.25,USD,DEBIT,"
            f"{first + datetime.timedelta(days=i // ROWS_PER_DATE)}T10:00:00Z,m-{i % 3},row {i} {PADDING}"
            for i in range(DATES * ROWS_PER_DATE)]
    rows += [f"lim-bad-{n},acct-1,1.00,XXX,DEBIT,2026-01-01T10:00:00Z,,bad currency" for n in range(3)]
    rows.append("lim-00000,acct-1,2.00,USD,DEBIT,2026-02-04T10:00:00Z,,same id as row 1 in another chunk")
    return ("\n".join([HEADER, *rows]) + "\n").encode()


@pytest.fixture(scope="module")
def year(pipeline: Pipeline) -> FileOutcome:
    body = year_csv()
    assert len(body) > 256 * 1024, "above local's large-file threshold"
    started = pipeline.upload(KEY, body)
    return pipeline.wait_terminal(FileOutcome("year", KEY), started, timeout_s=1200)


def history(pipeline: Pipeline, key: str) -> list[dict[str, Any]]:
    sfn = boto3.client("stepfunctions")
    arn = next(e["executionArn"] for e in pipeline.executions()
               if key in (sfn.describe_execution(executionArn=e["executionArn"]).get("input") or ""))
    pages = sfn.get_paginator("get_execution_history").paginate(executionArn=arn)
    return [event for page in pages for event in page["events"]]


def test_a_year_of_dates_completes_with_reconciled_counts(year: FileOutcome) -> None:
    assert year.status == "COMPLETED_WITH_ERRORS", year
    total, valid, rejected = (int(year.item[k]) for k in ("rows_total", "rows_valid", "rows_rejected"))
    assert total == DATES * ROWS_PER_DATE + 4
    assert (valid, rejected) == (total - 4, 4)


def test_it_took_the_chunked_path_and_lists_its_parquet_objects_in_a_manifest(pipeline: Pipeline, year: FileOutcome) -> None:
    events = history(pipeline, KEY)
    entered = {e["stateEnteredEventDetails"]["name"] for e in events if "stateEnteredEventDetails" in e}
    assert {"PlanChunks", "ValidateChunks", "MergeChunks", "LoadTransactions"} <= entered
    body = boto3.client("s3").get_object(Bucket=pipeline.buckets["artifacts"], Key=year.item["processed_manifest_key"])
    keys = json.loads(body["Body"].read())
    assert len(keys) >= DATES  # at least one object per date (a date cut by a chunk boundary has two)


def test_the_transactions_table_holds_exactly_the_valid_rows(pipeline: Pipeline, year: FileOutcome) -> None:
    table = boto3.resource("dynamodb").Table(pipeline.tables["transactions"])
    ids: list[str] = []
    kwargs: dict[str, Any] = {"ProjectionExpression": "transaction_id"}
    while True:
        page = table.scan(**kwargs)
        ids += [str(i.get("transaction_id", "")) for i in page["Items"]]
        if "LastEvaluatedKey" not in page:
            break
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]
    loaded = [i for i in ids if i.startswith("lim-")]
    assert len(loaded) == int(year.item["rows_valid"])
    assert len(set(loaded)) == len(loaded) and not any(i.startswith("lim-bad-") for i in loaded)


def test_the_parent_execution_stays_far_inside_the_quotas(pipeline: Pipeline, year: FileOutcome) -> None:
    events = history(pipeline, KEY)
    assert len(events) < MAX_HISTORY_EVENTS // 10
    largest = max(len(json.dumps(e, default=str).encode()) for e in events)
    assert largest < 64 * 1024  # every input/output in the history is small: nothing grows with dates x chunks

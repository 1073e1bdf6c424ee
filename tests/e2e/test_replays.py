"""Files sent again, end to end: a byte-identical resend is a replay, a changed row never replaces the first value
(it is quarantined naming the file and row that stored it), and a load throttled by DynamoDB stores and counts
every row once."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest

from localcloud.patches.dynamodb_throttling import throttle_reads, throttle_transactions
from localcloud.scenario import HEADER, FileOutcome, Pipeline, csv_rows

pytestmark = pytest.mark.e2e
ROWS = 20  # each on an account of its own: no velocity bursts, no alerts other tests would wait behind


def _send(pipeline: Pipeline, label: str, rows: list[str]) -> FileOutcome:
    key = f"uploads/acme/e2e-{label}.csv"
    started = pipeline.upload(key, ("\n".join([HEADER, *rows]) + "\n").encode())
    return pipeline.wait_terminal(FileOutcome(label, key), started, timeout_s=180)


def _changed(row: str) -> str:
    """The same transaction with another amount (the third field)."""
    fields = row.split(",")
    fields[2] = "999.99"
    return ",".join(fields)


@pytest.fixture(scope="module")
def files(pipeline: Pipeline) -> dict[str, FileOutcome]:
    """Given a first file of 20 transactions; When the same bytes are sent again as another file, then a file of
    5 of those ids with another amount and 5 new ids."""
    rows = csv_rows("replay", ROWS, accounts=ROWS)
    first = _send(pipeline, "replay-first", rows)
    again = _send(pipeline, "replay-again", rows)
    corrected = _send(pipeline, "replay-corrected",
                      [_changed(r) for r in rows[:5]] + csv_rows("replay", 5, start=ROWS + 1, accounts=ROWS))
    return {"first": first, "again": again, "corrected": corrected}


def _counts(outcome: FileOutcome) -> tuple[str, int, int, int]:
    item = outcome.item
    return (outcome.status, int(item.get("rows_stored", 0)), int(item.get("rows_replayed", 0)),
            int(item.get("rows_conflicting", 0)))


def _stored(pipeline: Pipeline, prefix: str) -> dict[str, dict[str, Any]]:
    return {str(i["transaction_id"]): i for i in pipeline.items("transactions")
            if str(i["transaction_id"]).startswith(prefix)}


def test_the_first_file_stores_every_row(files: dict[str, FileOutcome]) -> None:
    assert _counts(files["first"]) == ("COMPLETED", ROWS, 0, 0), files["first"]


def test_a_byte_identical_resend_is_a_replay_of_every_row(files: dict[str, FileOutcome]) -> None:
    assert _counts(files["again"]) == ("COMPLETED", 0, ROWS, 0), files["again"]


def test_changed_rows_are_conflicts_and_the_file_completes_with_errors(files: dict[str, FileOutcome]) -> None:
    assert _counts(files["corrected"]) == ("COMPLETED_WITH_ERRORS", 5, 0, 5), files["corrected"]


def test_every_valid_row_is_counted_once(files: dict[str, FileOutcome]) -> None:
    for outcome in files.values():
        _, stored, replayed, conflicting = _counts(outcome)
        assert stored + replayed + conflicting == int(outcome.item["rows_valid"]), outcome


def test_the_first_value_of_each_id_is_kept_and_stored_once(files: dict[str, FileOutcome], pipeline: Pipeline) -> None:
    stored = _stored(pipeline, "replay-")
    first_id = files["first"].item["file_id"]
    assert len(stored) == ROWS + 5
    assert {i["file_id"] for tid, i in stored.items() if int(tid.split("-")[1]) <= ROWS} == {first_id}
    assert "999.99" not in {str(i["amount"]) for i in stored.values()}


def test_a_conflicting_row_is_quarantined_naming_the_file_and_row_that_stored_it(
        files: dict[str, FileOutcome], pipeline: Pipeline) -> None:
    s3 = boto3.client("s3")
    prefix = str(files["corrected"].item["conflicts_prefix"])
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=pipeline.buckets["quarantine"], Prefix=prefix)["Contents"]]
    lines = [json.loads(line) for key in keys
             for line in s3.get_object(Bucket=pipeline.buckets["quarantine"], Key=key)["Body"].read().splitlines()]
    assert [line["row"] for line in lines] == [1, 2, 3, 4, 5]
    assert lines[0]["reason"] == (f"transaction_id: already stored from file {files['first'].item['file_id']}, "
                                  "row 1, with different content; the stored transaction is kept")
    assert lines[0]["raw"]["amount"] == "999.99"


THROTTLED_ROWS = 200


@pytest.fixture(scope="module")
def throttled(pipeline: Pipeline) -> tuple[FileOutcome, int, int]:
    """Given the transactions table throttling the next 3 transactions and 2 reads (40 keys each) of the deployed
    load function; When a 200-row file is uploaded."""
    table = pipeline.tables["transactions"]
    with throttle_transactions(table, requests=3) as writes, throttle_reads(table, served=40, requests=2) as reads:
        outcome = _send(pipeline, "throttled", csv_rows("throttled", THROTTLED_ROWS, accounts=THROTTLED_ROWS))
    return outcome, writes[0].throttled_requests, reads[0].throttled_requests


def test_the_deployed_load_was_throttled_on_reads_and_writes(throttled: tuple[FileOutcome, int, int]) -> None:
    assert throttled[1:] == (3, 2)


def test_a_throttled_load_completes_and_counts_every_row_once(throttled: tuple[FileOutcome, int, int]) -> None:
    assert _counts(throttled[0]) == ("COMPLETED", THROTTLED_ROWS, 0, 0), throttled[0]


def test_a_throttled_load_stores_every_row_once(throttled: tuple[FileOutcome, int, int], pipeline: Pipeline) -> None:
    assert len(_stored(pipeline, "throttled-")) == THROTTLED_ROWS


def _posted(pipeline: Pipeline, row: str) -> int:
    """POST one CSV row of the files above as a partner's API request; the status."""
    key = next(v for k, v in pipeline.api_keys.items() if "acme" in k)
    body = {name: value for name, value in zip(HEADER.split(","), row.split(","), strict=True) if value}
    return int(pipeline.call("POST", "/transactions", body, key=key)[0])


def test_the_api_answers_an_id_a_file_stored_as_a_replay_or_a_conflict(files: dict[str, FileOutcome],
                                                                        pipeline: Pipeline) -> None:
    # Given replay-00010, stored from the first file; When it is posted as sent, and then with another amount
    row = csv_rows("replay", ROWS, accounts=ROWS)[9]
    statuses = (_posted(pipeline, row), _posted(pipeline, _changed(row)))
    # Then the first is a replay (200) and the second a conflict (409), and the file's value stays
    assert statuses == (200, 409)
    assert _stored(pipeline, "replay-00010")["replay-00010"]["file_id"] == files["first"].item["file_id"]

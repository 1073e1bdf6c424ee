"""Faults injected by the emulator lose and double nothing: a failing alert publish, a load Lambda killed
mid-batch, an S3 event delivered twice, and a pipeline start that fails into the rule's DLQ, which the
operator redrives (and then reprocesses)."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from typing import Any

import boto3
import pytest

from localcloud.deploy import ROOT
from localcloud.emulator import Emulator
from localcloud.patches.eventbridge_faults import deliver_s3_events_twice, fail_deliveries
from localcloud.patches.sns_faults import fail_publishes
from localcloud.scenario import HEADER, FileOutcome, Pipeline, csv_rows, transaction

pytestmark = pytest.mark.e2e
TID = "e2e-sns-fault-big"


def _alerts_for(pipeline: Pipeline, url: str, tid: str, wait_s: float) -> list[dict[str, Any]]:
    deadline, seen = time.time() + wait_s, []
    while time.time() < deadline and not any(tid in json.dumps(m) for m in seen):
        seen += pipeline.drain(url, wait_s=1)
    seen += pipeline.drain(url, wait_s=3)  # a second copy would arrive right after the first
    return [m for m in seen if tid in json.dumps(m)]


@pytest.fixture(scope="module")
def outcome(pipeline: Pipeline) -> tuple[list[int], list[dict[str, Any]]]:
    """Given the alert topic failing its next two Publish calls (KMS throttling), and a queue subscribed to it;
    When an anomalous transaction is posted, on an account of its own (one rule fires: LARGE_AMOUNT, not the
    velocity rule other tests' transactions on a shared account could add), and the stream consumer's retries run."""
    assert pipeline.topic_arn, "the storage stack has an alert topic"
    url = pipeline.subscribe_alerts("localcloud-e2e-sns-fault")
    assert url
    key = next(v for k, v in pipeline.api_keys.items() if "acme" in k)
    with fail_publishes(pipeline.topic_arn, times=2) as failures:
        assert pipeline.call("POST", "/transactions", transaction(TID, amount="250000.00", account_id="acct-sns-fault"),
                             key=key)[0] == 201
        alerts = _alerts_for(pipeline, url, TID, wait_s=120)
    return failures, alerts


def test_the_injected_publish_failures_were_hit(outcome: tuple[list[int], list[dict[str, Any]]]) -> None:
    assert outcome[0] == [2]


def test_the_alert_arrives_once_after_the_publish_failures(outcome: tuple[list[int], list[dict[str, Any]]]) -> None:
    assert len(outcome[1]) == 1, outcome[1]


def test_the_anomaly_is_audited_once(outcome: tuple[list[int], list[dict[str, Any]]], pipeline: Pipeline) -> None:
    assert len([i for i in pipeline.items("audit") if TID in str(i["entity_id"]) and i.get("event") == "AnomalyDetected"]) == 1


def test_no_record_reached_the_anomaly_dead_letter_queue(outcome: tuple[list[int], list[dict[str, Any]]],
                                                          pipeline: Pipeline) -> None:
    depths = pipeline.dlq_depths()
    assert next(v for k, v in depths.items() if "anomaly" in k) == 0, depths


# Under local's large-file threshold, and a load still running 0.5 s in. Not more: every stored row is a stream
# record the session's one emulated shard feeds to the anomaly detector, whose per-record Query moto answers by
# reading the whole table, so 3,000 rows kept the detector busy past the next test's 240 s alert wait in CI.
KILLED_ROWS = 1_000
LOAD_FUNCTION = "txnpipe-load-transactions-local"


@pytest.fixture(scope="module")
def killed_load(pipeline: Pipeline, emulator: Emulator) -> tuple[FileOutcome, list[tuple[str, float, bool]]]:
    """Given the load function's next invocation killed 0.5 s in (mid-batch, as an out-of-memory kill);
    When a 1,000-row file is uploaded and the state machine's retry runs."""
    # One account per row: no velocity bursts, so no alerts beside the ones the later tests wait for.
    body = ("\n".join([HEADER, *csv_rows("killed", KILLED_ROWS, accounts=KILLED_ROWS)]) + "\n").encode()
    seen = len(emulator.runtime.invocations)
    emulator.runtime.kill(LOAD_FUNCTION, after_s=0.5)
    try:
        started = pipeline.upload("uploads/acme/e2e-killed-load.csv", body)
        outcome = pipeline.wait_terminal(FileOutcome("killed", "uploads/acme/e2e-killed-load.csv"), started,
                                         timeout_s=180)
    finally:
        emulator.runtime.clear_faults()
    return outcome, [i for i in emulator.runtime.invocations[seen:] if i[0] == LOAD_FUNCTION]


def test_a_load_killed_mid_batch_was_retried(killed_load: tuple[FileOutcome, list[tuple[str, float, bool]]]) -> None:
    # Then one load invocation failed after running (not before), and a later one succeeded
    loads = killed_load[1]
    assert ([d >= 0.5 for _, d, failed in loads if failed], any(not failed for *_, failed in loads)) == ([True], True)


def test_the_file_with_a_killed_load_completes_with_every_row(
        killed_load: tuple[FileOutcome, list[tuple[str, float, bool]]]) -> None:
    outcome = killed_load[0]
    assert (outcome.status, int(outcome.item["rows_valid"])) == ("COMPLETED", KILLED_ROWS), outcome


def test_no_row_of_the_killed_load_is_stored_twice(killed_load: tuple[FileOutcome, list[tuple[str, float, bool]]],
                                                   pipeline: Pipeline) -> None:
    pages = boto3.client("dynamodb").get_paginator("scan").paginate(
        TableName=pipeline.tables["transactions"], ProjectionExpression="transaction_id")
    ids = [i["transaction_id"]["S"] for page in pages for i in page["Items"]
           if i["transaction_id"]["S"].startswith("killed-")]
    assert (len(ids), len(set(ids))) == (KILLED_ROWS, KILLED_ROWS)


def _stored_ids(pipeline: Pipeline, prefix: str) -> list[str]:
    pages = boto3.client("dynamodb").get_paginator("scan").paginate(
        TableName=pipeline.tables["transactions"], ProjectionExpression="transaction_id")
    return [i["transaction_id"]["S"] for page in pages for i in page["Items"]
            if i["transaction_id"]["S"].startswith(prefix)]


def _audit(pipeline: Pipeline, file_id: str, event: str) -> list[dict[str, Any]]:
    items = pipeline.items("audit")
    return [i for i in items if i["entity_id"] == f"file#{file_id}" and i["event"] == event]


TWICE_ROWS, TWICE_KEY = 40, "uploads/acme/e2e-event-twice.csv"


@pytest.fixture(scope="module")
def delivered_twice(pipeline: Pipeline) -> FileOutcome:
    """Given the raw bucket's next S3 event delivered twice; When a 40-row file is uploaded."""
    body = ("\n".join([HEADER, *csv_rows("twice", TWICE_ROWS)]) + "\n").encode()
    with deliver_s3_events_twice(pipeline.buckets["raw"], times=1) as doubled:
        started = pipeline.upload(TWICE_KEY, body)
    assert doubled == [1]
    outcome = pipeline.wait_terminal(FileOutcome("twice", TWICE_KEY), started)
    time.sleep(3)  # the second execution has registered (or not) by now
    return outcome


def test_an_event_delivered_twice_starts_two_executions(delivered_twice: FileOutcome, pipeline: Pipeline) -> None:
    sfn = boto3.client("stepfunctions")
    inputs = [sfn.describe_execution(executionArn=e["executionArn"])["input"] for e in pipeline.executions()]
    assert len([i for i in inputs if TWICE_KEY in i]) == 2


def test_an_event_delivered_twice_is_one_completed_file(delivered_twice: FileOutcome, pipeline: Pipeline) -> None:
    assert ([i["status"] for i in pipeline.file_items(TWICE_KEY)], int(delivered_twice.item["rows_valid"])) == (
        ["COMPLETED"], TWICE_ROWS)


def test_an_event_delivered_twice_stores_each_row_once(delivered_twice: FileOutcome, pipeline: Pipeline) -> None:
    ids = _stored_ids(pipeline, "twice-")
    assert (len(ids), len(set(ids))) == (TWICE_ROWS, TWICE_ROWS)


def test_an_event_delivered_twice_is_received_once_in_the_audit(delivered_twice: FileOutcome,
                                                                pipeline: Pipeline) -> None:
    changes = _audit(pipeline, str(delivered_twice.item["file_id"]), "FileStatusChanged")
    assert [c["status"] for c in changes].count("RECEIVED") == 1


REDRIVE_ROWS, REDRIVE_KEY = 30, "uploads/acme/e2e-redriven.csv"
RULE_DLQ = "txnpipe-file-uploaded-dlq-local"


def _operations(emulator: Emulator, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "operations", *args, "--workspace", "local"], cwd=ROOT,
                          env={**emulator.client_env(), "PATH": "/usr/bin:/bin"}, capture_output=True, text=True,
                          timeout=120, check=False)


@pytest.fixture(scope="module")
def redriven(pipeline: Pipeline, emulator: Emulator) -> dict[str, Any]:
    """Given the upload rule's next start of the state machine failing (into the rule's DLQ);
    When a 30-row file is uploaded, and the operator runs `redrive` on that DLQ."""
    assert pipeline.state_machine_arn
    body = ("\n".join([HEADER, *csv_rows("redriven", REDRIVE_ROWS)]) + "\n").encode()
    with fail_deliveries(pipeline.state_machine_arn, times=1) as failed:
        pipeline.upload(REDRIVE_KEY, body)
    time.sleep(2)
    before = {"failed": failed, "files": pipeline.file_items(REDRIVE_KEY), "dlq": pipeline.dlq_depths()[RULE_DLQ]}
    run = _operations(emulator, "redrive", "--queue", "file-uploaded-dlq")
    outcome = pipeline.wait_terminal(FileOutcome("redriven", REDRIVE_KEY), time.time())
    again = _operations(emulator, "redrive", "--queue", "file-uploaded-dlq")
    return {**before, "run": run, "outcome": outcome, "after": pipeline.dlq_depths()[RULE_DLQ], "again": again}


def test_a_failed_start_registers_nothing_and_lands_in_the_rules_dlq(redriven: dict[str, Any]) -> None:
    assert (redriven["failed"], redriven["files"], redriven["dlq"]) == ([1], [], 1)


def test_the_redrive_reports_the_message_sent_back(redriven: dict[str, Any]) -> None:
    run = redriven["run"]
    assert (run.returncode, "redriven 1, left in the queue 0" in run.stdout) == (0, True), run.stdout + run.stderr


def test_a_redriven_file_completes_with_every_row_once(redriven: dict[str, Any], pipeline: Pipeline) -> None:
    ids = _stored_ids(pipeline, "redriven-")
    assert (redriven["outcome"].status, len(ids), len(set(ids))) == ("COMPLETED", REDRIVE_ROWS, REDRIVE_ROWS)


def test_the_redriven_queue_is_empty_and_a_second_redrive_finds_nothing(redriven: dict[str, Any]) -> None:
    assert (redriven["after"], "0 message(s)" in redriven["again"].stdout) == (0, True), redriven["again"].stdout


@pytest.fixture(scope="module")
def reprocessed(redriven: dict[str, Any], pipeline: Pipeline, emulator: Emulator) -> dict[str, Any]:
    """Given the redriven file, COMPLETED; When the operator reprocesses it and the run ends."""
    file_id = str(redriven["outcome"].item["file_id"])
    run = _operations(emulator, "reprocess", "--file-id", file_id)
    deadline, item = time.time() + 180, {}
    while time.time() < deadline:
        item = pipeline.file_items(REDRIVE_KEY)[0]
        if int(item.get("reprocess_count", 0)) == 1 and item["status"] in ("COMPLETED", "COMPLETED_WITH_ERRORS"):
            break
        time.sleep(0.5)
    return {"file_id": file_id, "run": run, "item": item,
            "refused": _operations(emulator, "reprocess", "--file-id", "f-no-such-file")}


def test_a_reprocess_starts_the_file_again(reprocessed: dict[str, Any]) -> None:
    run = reprocessed["run"]
    assert (run.returncode, "is being reprocessed by" in run.stdout) == (0, True), run.stdout + run.stderr


def test_a_reprocessed_file_completes_with_the_same_counts(reprocessed: dict[str, Any]) -> None:
    item = reprocessed["item"]
    assert (item["status"], int(item["rows_total"]), int(item["rows_valid"])) == ("COMPLETED", REDRIVE_ROWS,
                                                                                  REDRIVE_ROWS)


def test_a_reprocessed_file_stores_no_row_twice(reprocessed: dict[str, Any], pipeline: Pipeline) -> None:
    ids = _stored_ids(pipeline, "redriven-")
    assert (len(ids), len(set(ids))) == (REDRIVE_ROWS, REDRIVE_ROWS)


def test_a_reprocess_is_audited_with_who_asked(reprocessed: dict[str, Any], pipeline: Pipeline) -> None:
    entries = _audit(pipeline, reprocessed["file_id"], "FileReprocessed")
    assert [(e["details"]["by"].startswith("arn:aws:"), e["details"]["previous_status"]) for e in entries] == [
        (True, "COMPLETED")]


def test_reprocessing_an_unknown_file_is_refused(reprocessed: dict[str, Any]) -> None:
    refused = reprocessed["refused"]
    assert (refused.returncode, "no file f-no-such-file" in refused.stderr) == (1, True), refused.stderr

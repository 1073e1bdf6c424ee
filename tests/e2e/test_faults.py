"""Faults injected by the emulator: a failing alert publish and a load Lambda killed mid-batch lose and double nothing."""

from __future__ import annotations

import json
import time
from typing import Any

import boto3
import pytest

from localcloud.emulator import Emulator
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
    When an anomalous transaction is posted, and the stream consumer's retries run."""
    assert pipeline.topic_arn, "the storage stack has an alert topic"
    url = pipeline.subscribe_alerts("localcloud-e2e-sns-fault")
    assert url
    key = next(v for k, v in pipeline.api_keys.items() if "acme" in k)
    with fail_publishes(pipeline.topic_arn, times=2) as failures:
        assert pipeline.call("POST", "/transactions", transaction(TID, amount="250000.00"), key=key)[0] == 201
        alerts = _alerts_for(pipeline, url, TID, wait_s=120)
    return failures, alerts


def test_the_injected_publish_failures_were_hit(outcome: tuple[list[int], list[dict[str, Any]]]) -> None:
    assert outcome[0] == [2]


def test_the_alert_arrives_once_after_the_publish_failures(outcome: tuple[list[int], list[dict[str, Any]]]) -> None:
    assert len(outcome[1]) == 1, outcome[1]


def test_the_anomaly_is_audited_once(outcome: tuple[list[int], list[dict[str, Any]]], pipeline: Pipeline) -> None:
    table = boto3.resource("dynamodb").Table(pipeline.tables["audit"])
    items = table.scan()["Items"]
    assert len([i for i in items if TID in str(i["entity_id"]) and i.get("event") == "AnomalyDetected"]) == 1


def test_no_record_reached_the_anomaly_dead_letter_queue(outcome: tuple[list[int], list[dict[str, Any]]],
                                                          pipeline: Pipeline) -> None:
    depths = pipeline.dlq_depths()
    assert next(v for k, v in depths.items() if "anomaly" in k) == 0, depths


KILLED_ROWS = 3_000  # under local's large-file threshold; a load of several seconds in the emulator
LOAD_FUNCTION = "txnpipe-load-transactions-local"


@pytest.fixture(scope="module")
def killed_load(pipeline: Pipeline, emulator: Emulator) -> tuple[FileOutcome, list[tuple[str, float, bool]]]:
    """Given the load function's next invocation killed 0.5 s in (mid-batch, as an out-of-memory kill);
    When a 3,000-row file is uploaded and the state machine's retry runs."""
    body = ("\n".join([HEADER, *csv_rows("killed", KILLED_ROWS)]) + "\n").encode()
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

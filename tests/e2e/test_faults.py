"""Faults on the alert path, injected by the emulator: the alert still arrives, once, and nothing dead-letters."""

from __future__ import annotations

import json
import time
from typing import Any

import boto3
import pytest

from localcloud.patches.sns_faults import fail_publishes
from localcloud.scenario import Pipeline, transaction

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

"""Alarms that provably fire: things broken on purpose, and the page (the alert topic's notification) awaited.

The emulator evaluates the deployed alarms on its emulated clock (`E2E_TIME_SCALE` emulated seconds per
real second: a one-minute period lasts two seconds) from the metrics the services publish, and
publishes their ALARM/OK notifications to the KMS-encrypted alert topic, whose policies must let
CloudWatch publish and use the key. Nothing here sets an alarm's state or invokes a scheduled function
by hand. Each test subscribes its own queue to the alert topic and puts back what it broke.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest

from localcloud.emulator import Emulator
from localcloud.scenario import Pipeline, transaction
from stacks.naming import Namer

pytestmark = pytest.mark.e2e

NAMER = Namer(workspace="local")
PAGE_WAIT_S = 120  # at the e2e time scale, a 3-of-5 one-minute alarm needs ~10 s; the rest is a loaded machine


@pytest.fixture
def pager(pipeline: Pipeline) -> Iterator[str]:
    """A queue of this test's own on the alert topic (raw delivery: each body is the notification JSON)."""
    sqs = boto3.client("sqs")
    url = pipeline.subscribe_alerts(f"localcloud-e2e-pager-{time.time_ns()}")
    assert url is not None, "no alert topic deployed"
    yield url
    topic = pipeline.topic_arn
    for sub in boto3.client("sns").list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"]:
        if sub["Endpoint"].endswith(url.rsplit("/", 1)[1]):
            boto3.client("sns").unsubscribe(SubscriptionArn=sub["SubscriptionArn"])
    sqs.delete_queue(QueueUrl=url)


def wait_for_page(pipeline: Pipeline, pager: str, alarm: str, state: str, *,
                  while_waiting: Callable[[], None] = lambda: None, timeout_s: float = PAGE_WAIT_S) -> dict[str, Any]:
    """The first notification saying `alarm` entered `state`, calling `while_waiting` between polls."""
    deadline = time.time() + timeout_s
    seen: list[str] = []
    while time.time() < deadline:
        while_waiting()
        for message in pipeline.drain(pager, wait_s=0):
            seen.append(f"{message.get('AlarmName')}→{message.get('NewStateValue')}")
            if message.get("AlarmName") == alarm and message.get("NewStateValue") == state:
                return message
    raise AssertionError(f"no {state} notification for {alarm} within {timeout_s}s; saw {seen}")


def state_of(alarm: str) -> str:
    return str(boto3.client("cloudwatch").describe_alarms(AlarmNames=[alarm])["MetricAlarms"][0]["StateValue"])


def given_ok(alarm: str, timeout_s: float = PAGE_WAIT_S) -> None:
    """Wait until `alarm` is OK (an earlier test's breakage has aged out of its window), so a page is a transition."""
    deadline = time.time() + timeout_s
    while state_of(alarm) != "OK":
        assert time.time() < deadline, f"{alarm} did not settle to OK within {timeout_s}s: {state_of(alarm)}"
        time.sleep(0.5)


def _errors_dimensions(page: dict[str, Any]) -> list[dict[str, str]]:
    metrics = [m["MetricStat"]["Metric"] for m in page["Trigger"]["Metrics"] if "MetricStat" in m]
    return sorted(next(m["Dimensions"] for m in metrics if m["MetricName"] == "Errors"), key=lambda d: d["name"])


def _invoke(function: str) -> None:
    boto3.client("lambda").invoke(FunctionName=function, Payload=b"{}")


@pytest.fixture
def misspelled_alarm() -> Iterator[str]:
    """A synthetic alarm on a dimension no service publishes (the function's name misspelled)."""
    name = f"e2e-wrong-dimension-{time.time_ns()}"
    cloudwatch = boto3.client("cloudwatch")
    cloudwatch.put_metric_alarm(
        AlarmName=name, Namespace="AWS/Lambda", MetricName="Errors", Statistic="Sum", Period=60,
        Dimensions=[{"Name": "FunctionName", "Value": "txnpipe-api-staus-local"}], EvaluationPeriods=1,
        Threshold=0, ComparisonOperator="GreaterThanThreshold", TreatMissingData="missing")
    yield name
    cloudwatch.delete_alarms(AlarmNames=[name])


def test_a_failing_function_pages_and_recovers(pipeline: Pipeline, emulator: Emulator, pager: str,
                                               misspelled_alarm: str) -> None:
    # Given every invocation of the status function failing
    function, alarm = NAMER.name("api-status"), NAMER.name("fn-api-status-error-rate")
    given_ok(alarm)
    emulator.runtime.inject(function, "RuntimeError", times=None, message="status store unreachable")
    try:
        # When it keeps being invoked for a few emulated minutes
        page = wait_for_page(pipeline, pager, alarm, "ALARM", while_waiting=lambda: _invoke(function))
    finally:
        emulator.runtime.clear_faults()
    # Then the error-rate alarm pages, from OK, on the function's own Errors metric
    assert (page["OldStateValue"], _errors_dimensions(page)) == ("OK", [{"name": "FunctionName", "value": function}])
    # and an alarm on the same metric with a misspelled dimension saw nothing
    assert state_of(misspelled_alarm) == "INSUFFICIENT_DATA"
    # and once the failures stop, the alarm pages OK
    assert wait_for_page(pipeline, pager, alarm, "OK")["NewStateValue"] == "OK"


def test_a_message_left_in_a_dead_letter_queue_pages(pipeline: Pipeline, pager: str) -> None:
    # Given a message left in the upload routing rule's dead-letter queue
    queue, alarm = NAMER.name("file-uploaded-dlq"), NAMER.name("dlq-file-uploaded-dlq")
    given_ok(alarm)
    sqs = boto3.client("sqs")
    url = sqs.get_queue_url(QueueName=queue)["QueueUrl"]
    sqs.send_message(QueueUrl=url, MessageBody=json.dumps({"detail-type": "Object Created", "e2e": "left behind"}))
    try:
        # Then its alarm pages within a sampling interval or two
        page = wait_for_page(pipeline, pager, alarm, "ALARM")
    finally:
        sqs.purge_queue(QueueUrl=url)
    assert "ApproximateNumberOfMessagesVisible" in json.dumps(page["Trigger"])


@pytest.fixture
def stuck_file(pipeline: Pipeline) -> Iterator[str]:
    """A file registered 20 minutes ago whose execution never ran (as register_file writes it), the SLA met before."""
    given_ok(NAMER.name("sla-files-overdue"))
    table = boto3.resource("dynamodb").Table(pipeline.tables["files"])
    received = (datetime.now(UTC) - timedelta(minutes=20)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    file_id = f"e2e-stuck-{time.time_ns()}"
    table.put_item(Item={"file_id": file_id, "status": "RECEIVED", "received_at": received, "updated_at": received,
                         "status_history": {"RECEIVED": received}, "partner_id": "acme",
                         "object_key": f"uploads/acme/{file_id}.csv"})
    yield file_id
    table.delete_item(Key={"file_id": file_id})


def test_a_file_that_never_finishes_pages_the_sla_through_the_scheduled_check(
        pipeline: Pipeline, pager: str, stuck_file: str) -> None:
    # Given a file not terminal 20 minutes after upload; When sla_monitor runs on its own schedule
    page = wait_for_page(pipeline, pager, NAMER.name("sla-files-overdue"), "ALARM")
    # Then the SLA alarm pages, on a datapoint the scheduled check published (not on missing data)
    assert "[Breaching]" not in page["NewStateReason"], page["NewStateReason"]
    overdue = boto3.client("cloudwatch").get_metric_statistics(
        Namespace="txnpipe", MetricName="FilesOverdue", Dimensions=[{"Name": "Workspace", "Value": "local"}],
        StartTime=datetime.now(UTC) - timedelta(minutes=10), EndTime=datetime.now(UTC) + timedelta(minutes=1),
        Period=60, Statistics=["Maximum"])["Datapoints"]
    assert max(d["Maximum"] for d in overdue) >= 1


def test_api_5xx_pages(pipeline: Pipeline, emulator: Emulator, pager: str) -> None:
    # Given the ingest handler failing on every request
    key = next(v for k, v in pipeline.api_keys.items() if "acme" in k)
    function = NAMER.name("api-ingest")
    statuses: list[int] = []
    alarm = NAMER.name("api-api-5xxerror")
    given_ok(alarm)
    emulator.runtime.inject(function, "RuntimeError", times=None, message="forced failure")
    try:
        # When partners keep posting for a few emulated minutes
        page = wait_for_page(pipeline, pager, alarm, "ALARM", while_waiting=lambda: (
            statuses.append(pipeline.call("POST", "/transactions", transaction(f"e2e-5xx-{time.time_ns()}"),
                                          key=key)[0])))
    finally:
        emulator.runtime.clear_faults()
    # Then they got 502s, and the API's 5XX alarm paged on the stage's 5XXError metric
    assert set(statuses) == {502}, statuses
    dimensions = {d["name"]: d["value"] for d in page["Trigger"]["Dimensions"]}  # a set: AWS keeps no order
    assert (page["Trigger"]["MetricName"], dimensions) == ("5XXError", {"ApiName": "txnpipe-api-local", "Stage": "local"})

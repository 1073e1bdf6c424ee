"""EventBridge Scheduler schedules fired by the emulator: Lambda target with context attributes, role trust, DLQ."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from typing import Any

import boto3
import pytest

from localcloud.emulator import Emulator
from tests.localcloud.helpers import emulated_clock, function, role, wait_until


@pytest.fixture(autouse=True)
def fast_clock(emulator: Emulator) -> Iterator[None]:
    with emulated_clock(60):  # rate(1 minute) fires every real second
        yield


def _queue(name: str) -> tuple[str, str]:
    sqs = boto3.client("sqs")
    url = sqs.create_queue(QueueName=name)["QueueUrl"]
    return url, sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]


def _receive(url: str) -> list[dict[str, Any]]:
    got = boto3.client("sqs").receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1,
                                              MessageAttributeNames=["All"])
    return list(got.get("Messages", []))


def _schedule(name: str, target: dict[str, Any]) -> str:
    return str(boto3.client("scheduler").create_schedule(
        Name=name, ScheduleExpression="rate(1 minute)", FlexibleTimeWindow={"Mode": "OFF"}, Target=target)["ScheduleArn"])


def test_a_rate_schedule_invokes_its_lambda_with_the_context_attributes() -> None:
    # Given a function that forwards its event to a queue, and a schedule with a trusted role
    tag = uuid.uuid4().hex[:8]
    url, _ = _queue(f"lc-sched-out-{tag}")
    source = ("import boto3, json\n"
              "def handler(event, context):\n"
              f"    boto3.client('sqs').send_message(QueueUrl={url!r}, MessageBody=json.dumps(event))\n")
    fn = function(f"lc-sched-fn-{tag}", source)
    template = {"arn": "<aws.scheduler.schedule-arn>", "time": "<aws.scheduler.scheduled-time>",
                "id": "<aws.scheduler.execution-id>", "attempt": "<aws.scheduler.attempt-number>"}
    # When a rate(1 minute) schedule runs for a few emulated minutes
    arn = _schedule(f"lc-sched-{tag}", {"Arn": fn, "RoleArn": role("lc-sched-role", "scheduler.amazonaws.com"),
                                        "Input": json.dumps(template)})
    # Then the function receives the input with the attributes substituted
    event = json.loads(wait_until(lambda: _receive(url))[0]["Body"])
    assert (event["arn"], event["attempt"]) == (arn, "1")
    assert event["time"].endswith("Z")
    assert uuid.UUID(event["id"])
    boto3.client("scheduler").delete_schedule(Name=f"lc-sched-{tag}")


def test_a_role_that_does_not_trust_the_scheduler_dead_letters_the_event() -> None:
    # Given a schedule whose role trusts Lambda only, with a DLQ and no retries
    tag = uuid.uuid4().hex[:8]
    out, out_arn = _queue(f"lc-sched-target-{tag}")
    dlq, dlq_arn = _queue(f"lc-sched-dlq-{tag}")
    # When it fires
    arn = _schedule(f"lc-sched-untrusted-{tag}", {
        "Arn": out_arn, "RoleArn": role("lc-sched-wrong-role", "lambda.amazonaws.com"), "Input": '{"n": 1}',
        "RetryPolicy": {"MaximumRetryAttempts": 0, "MaximumEventAgeInSeconds": 60}, "DeadLetterConfig": {"Arn": dlq_arn}})
    # Then the event lands in the DLQ with Scheduler's attributes, and the target gets nothing
    message = wait_until(lambda: _receive(dlq))[0]
    attributes = {k: v["StringValue"] for k, v in message["MessageAttributes"].items()}
    assert message["Body"] == '{"n": 1}'
    assert (attributes["SCHEDULE_ARN"], attributes["TARGET_ARN"]) == (arn, out_arn)
    assert attributes["EXHAUSTED_RETRY_CONDITION"] == "MaximumRetryAttempts"
    assert _receive(out) == []
    boto3.client("scheduler").delete_schedule(Name=f"lc-sched-untrusted-{tag}")

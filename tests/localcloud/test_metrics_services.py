"""The emulated services publish their CloudWatch metrics as AWS does (Lambda, SQS, Step Functions, API Gateway)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import boto3
import pytest

from localcloud import clock
from localcloud.emulator import Emulator
from tests.localcloud.helpers import function, role
from tests.localcloud.metric_helpers import eventually, statistic
from tests.localcloud.test_apigateway import ECHO, _call, make_api

FAILING = '''
def handler(event, context):
    if event.get("fail"):
        raise RuntimeError("asked to fail")
    return {"ok": True}
'''


@pytest.fixture(scope="module")
def invoked(emulator: Emulator) -> str:
    """A function invoked once successfully and once failing."""
    function("lc-metrics-fn", FAILING)
    lam = boto3.client("lambda")
    lam.invoke(FunctionName="lc-metrics-fn", Payload=b"{}")
    lam.invoke(FunctionName="lc-metrics-fn", Payload=json.dumps({"fail": True}).encode())
    return "lc-metrics-fn"


def test_each_lambda_invocation_counts_under_its_function_name(invoked: str) -> None:
    assert statistic("AWS/Lambda", "Invocations", {"FunctionName": invoked}) == 2


def test_a_function_error_counts_in_errors(invoked: str) -> None:
    assert statistic("AWS/Lambda", "Errors", {"FunctionName": invoked}) == 1


def test_the_invocation_duration_is_published_in_milliseconds(invoked: str) -> None:
    assert statistic("AWS/Lambda", "Duration", {"FunctionName": invoked}, "SampleCount") == 2


@pytest.fixture
def fast_clock() -> Iterator[None]:
    clock.start(scale=600)  # one emulated minute = 0.1 s
    try:
        yield
    finally:
        clock.start(scale=1)


def test_a_queue_with_a_message_shows_one_visible_message_after_a_sampling_minute(fast_clock: None) -> None:
    # Given a queue holding one message
    sqs = boto3.client("sqs")
    url = sqs.create_queue(QueueName="lc-metrics-queue")["QueueUrl"]
    sqs.send_message(QueueUrl=url, MessageBody="hello")
    # When an emulated minute passes, Then the sampler has published the queue depth
    def depth() -> float:
        return statistic("AWS/SQS", "ApproximateNumberOfMessagesVisible", {"QueueName": "lc-metrics-queue"}, "Maximum")

    assert eventually(depth, 1.0) == 1.0


def test_a_queue_with_a_message_reports_the_age_of_its_oldest_message(fast_clock: None) -> None:
    sqs = boto3.client("sqs")
    url = sqs.create_queue(QueueName="lc-metrics-aged")["QueueUrl"]
    sqs.send_message(QueueUrl=url, MessageBody="hello")

    def sampled() -> float:  # at least one sample so far (more may follow each 0.1 s)
        return min(1.0, statistic("AWS/SQS", "ApproximateAgeOfOldestMessage", {"QueueName": "lc-metrics-aged"},
                                  "SampleCount"))

    assert eventually(sampled, 1.0) == 1.0


def _machine(name: str, state: dict[str, object]) -> str:
    sfn = boto3.client("stepfunctions")
    definition = json.dumps({"StartAt": "Only", "States": {"Only": state}})
    arn = sfn.create_state_machine(name=name, definition=definition,
                                   roleArn=role("lc-metrics-sfn", "states.amazonaws.com"))["stateMachineArn"]
    execution = sfn.start_execution(stateMachineArn=arn, input="{}")["executionArn"]
    deadline = time.time() + 20
    while sfn.describe_execution(executionArn=execution)["status"] == "RUNNING" and time.time() < deadline:
        time.sleep(0.1)
    return str(arn)


def test_an_execution_counts_as_started_and_succeeded(emulator: Emulator) -> None:
    arn = _machine("lc-metrics-pass", {"Type": "Pass", "End": True})
    dims = {"StateMachineArn": arn}
    assert (statistic("AWS/States", "ExecutionsStarted", dims), statistic("AWS/States", "ExecutionsSucceeded", dims)) == (1, 1)


def test_a_failed_execution_counts_in_executions_failed_with_its_execution_time(emulator: Emulator) -> None:
    arn = _machine("lc-metrics-fail", {"Type": "Fail", "Error": "Boom", "Cause": "test"})
    dims = {"StateMachineArn": arn}
    assert statistic("AWS/States", "ExecutionsFailed", dims) == 1
    assert statistic("AWS/States", "ExecutionTime", dims, "SampleCount") == 1


@pytest.fixture(scope="module")
def requested(emulator: Emulator) -> str:
    """An API answering one request 201 and one 502 (its function fails); the API's name."""
    url, key, _ = make_api(emulator, function("lc-metrics-echo", ECHO), "lc-metrics-api")
    statuses = [_call(f"{url}/items/{item}", headers={"x-api-key": key})[0] for item in ("1", "boom")]
    assert statuses == [201, 502]
    return "lc-metrics-api"


def test_every_request_counts_under_the_api_and_stage(requested: str) -> None:
    assert statistic("AWS/ApiGateway", "Count", {"ApiName": requested, "Stage": "v1"}, "SampleCount") == 2


def test_an_integration_failure_counts_as_a_5xx_error(requested: str) -> None:
    assert statistic("AWS/ApiGateway", "5XXError", {"ApiName": requested, "Stage": "v1"}) == 1


def test_the_api_name_alone_is_a_dimension_too(requested: str) -> None:
    assert statistic("AWS/ApiGateway", "4XXError", {"ApiName": requested}, "SampleCount") == 2


def test_a_request_refused_for_its_missing_api_key_is_a_4xx_error(emulator: Emulator) -> None:
    url, _, _ = make_api(emulator, function("lc-metrics-echo-4xx", ECHO), "lc-metrics-api-4xx")
    assert _call(f"{url}/items/1")[0] == 403
    assert statistic("AWS/ApiGateway", "4XXError", {"ApiName": "lc-metrics-api-4xx", "Stage": "v1"}) == 1


def test_an_empty_queue_reports_no_age_of_oldest_message(fast_clock: None) -> None:
    # Given an empty queue, When it has been sampled (its depth 0 is published), Then no age was published
    boto3.client("sqs").create_queue(QueueName="lc-metrics-empty")

    def samples() -> float:
        return min(1.0, statistic("AWS/SQS", "ApproximateNumberOfMessagesVisible", {"QueueName": "lc-metrics-empty"},
                                  "SampleCount"))

    assert eventually(samples, 1.0) == 1.0
    assert statistic("AWS/SQS", "ApproximateAgeOfOldestMessage", {"QueueName": "lc-metrics-empty"}, "SampleCount") == 0


def test_a_stopped_execution_counts_in_executions_aborted(emulator: Emulator) -> None:
    # Given a running execution waiting a minute, When it is stopped, Then it counts as aborted
    sfn = boto3.client("stepfunctions")
    definition = json.dumps({"StartAt": "Wait", "States": {"Wait": {"Type": "Wait", "Seconds": 60, "End": True}}})
    arn = sfn.create_state_machine(name="lc-metrics-abort", definition=definition,
                                   roleArn=role("lc-metrics-sfn", "states.amazonaws.com"))["stateMachineArn"]
    execution = sfn.start_execution(stateMachineArn=arn, input="{}")["executionArn"]
    sfn.stop_execution(executionArn=execution)

    def aborted() -> float:
        return statistic("AWS/States", "ExecutionsAborted", {"StateMachineArn": arn})

    assert eventually(aborted, 1.0) == 1.0


def test_a_message_published_to_a_topic_counts_under_its_topic_name(emulator: Emulator) -> None:
    # Given a topic; When one message is published to it
    sns = boto3.client("sns")
    topic = sns.create_topic(Name="lc-metrics-topic")["TopicArn"]
    sns.publish(TopicArn=topic, Message="hello")
    # Then NumberOfMessagesPublished counts it under TopicName
    dims = {"TopicName": "lc-metrics-topic"}
    assert eventually(lambda: statistic("AWS/SNS", "NumberOfMessagesPublished", dims), 1) == 1


def test_the_published_message_size_is_in_bytes() -> None:
    from localcloud.metrics.sns_topics import datapoints

    size = next(d for d in datapoints("alerts", "héllo") if d.name == "PublishSize")
    assert (size.value, size.unit) == (6, "Bytes")

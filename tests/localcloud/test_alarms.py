"""CloudWatch alarms evaluated by the emulator: states, SNS notifications to SQS, delivery checks, metric math."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from typing import Any

import boto3
import pytest

from localcloud.emulator import Emulator
from tests.localcloud.helpers import emulated_clock, wait_until

NAMESPACE = "lc-test/alarms"


@pytest.fixture(autouse=True)
def fast_clock(emulator: Emulator) -> Iterator[None]:
    with emulated_clock(60):  # a 60 s period lasts one real second
        yield


def _queue(raw: bool, topic_arn: str) -> str:
    sqs, sns = boto3.client("sqs"), boto3.client("sns")
    url = sqs.create_queue(QueueName=f"lc-alarm-{uuid.uuid4().hex[:8]}")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sns.subscribe(TopicArn=topic_arn, Protocol="sqs", Endpoint=arn,
                  Attributes={"RawMessageDelivery": "true" if raw else "false"})
    return str(url)


def _messages(url: str) -> list[str]:
    got = boto3.client("sqs").receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1)
    return [m["Body"] for m in got.get("Messages", [])]


def _state(name: str) -> str:
    return str(boto3.client("cloudwatch").describe_alarms(AlarmNames=[name])["MetricAlarms"][0]["StateValue"])


def _put(metric: str, value: float, dims: dict[str, str]) -> None:
    boto3.client("cloudwatch").put_metric_data(Namespace=NAMESPACE, MetricData=[{
        "MetricName": metric, "Value": value, "Dimensions": [{"Name": k, "Value": v} for k, v in dims.items()]}])


def _alarm(name: str, metric: str, dims: dict[str, str], topic: str, **extra: Any) -> None:
    boto3.client("cloudwatch").put_metric_alarm(
        AlarmName=name, Namespace=NAMESPACE, MetricName=metric, Statistic="Maximum", Period=60,
        EvaluationPeriods=3, DatapointsToAlarm=1, Threshold=10, ComparisonOperator="GreaterThanThreshold",
        Dimensions=[{"Name": k, "Value": v} for k, v in dims.items()], AlarmActions=[topic], OKActions=[topic],
        **{"TreatMissingData": "missing", **extra})


def test_breaching_values_alarm_and_notify_the_queue_then_recover() -> None:
    # Given an alarm on a custom metric notifying a topic with an SQS subscriber (SNS envelope)
    tag = uuid.uuid4().hex[:8]
    topic = boto3.client("sns").create_topic(Name=f"lc-alarm-{tag}")["TopicArn"]
    url = _queue(False, topic)
    name, dims = f"lc-alarm-{tag}", {"Service": tag}
    _alarm(name, "Latency", dims, topic)
    _alarm(f"{name}-other", "Latency", {"Service": "other"}, topic)
    # When a breaching value arrives
    _put("Latency", 50, dims)
    # Then the alarm goes to ALARM and the queue receives CloudWatch's notification
    assert wait_until(lambda: _state(name) == "ALARM")
    envelope = json.loads(wait_until(lambda: _messages(url))[0])
    body = json.loads(envelope["Message"])
    assert envelope["Subject"] == f'ALARM: "{name}" in US East (N. Virginia)'
    assert (body["AlarmName"], body["NewStateValue"], body["OldStateValue"]) == (name, "ALARM", "INSUFFICIENT_DATA")
    assert body["Trigger"]["MetricName"] == "Latency"
    assert body["Trigger"]["Dimensions"] == [{"value": tag, "name": "Service"}]
    # And the alarm on another dimension has no data
    assert _state(f"{name}-other") == "INSUFFICIENT_DATA"
    # When values are back under the threshold for the whole window
    def recovered() -> bool:
        _put("Latency", 1, dims)
        return _state(name) == "OK"
    assert wait_until(recovered)
    # Then an OK notification follows
    ok = wait_until(lambda: [json.loads(json.loads(m)["Message"]) for m in _messages(url)])
    assert ok[-1]["NewStateValue"] == "OK"


def test_raw_delivery_carries_the_notification_json_and_history_shows_state_and_action() -> None:
    # Given an alarm notifying a topic with a raw-delivery SQS subscriber
    tag = uuid.uuid4().hex[:8]
    topic = boto3.client("sns").create_topic(Name=f"lc-alarm-raw-{tag}")["TopicArn"]
    url = _queue(True, topic)
    name = f"lc-alarm-raw-{tag}"
    _alarm(name, "Errors", {"Service": tag}, topic)
    # When a breaching value arrives
    _put("Errors", 11, {"Service": tag})
    # Then the queue receives the notification JSON itself
    body = json.loads(wait_until(lambda: _messages(url))[0])
    assert body["NewStateValue"] == "ALARM"
    # And the history has the state update and the successful action
    history = boto3.client("cloudwatch").describe_alarm_history(AlarmName=name)["AlarmHistoryItems"]
    summaries = [h["HistorySummary"] for h in history]
    assert "Alarm updated from INSUFFICIENT_DATA to ALARM" in summaries
    assert f"Successfully executed action {topic}" in summaries


def test_a_topic_policy_without_cloudwatch_gets_no_message_and_history_says_failed() -> None:
    # Given a topic whose policy lets only EventBridge publish
    tag = uuid.uuid4().hex[:8]
    sns = boto3.client("sns")
    topic = sns.create_topic(Name=f"lc-alarm-deny-{tag}")["TopicArn"]
    sns.set_topic_attributes(TopicArn=topic, AttributeName="Policy", AttributeValue=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "events.amazonaws.com"},
                                                "Action": "sns:Publish", "Resource": topic}]}))
    url = _queue(True, topic)
    name = f"lc-alarm-deny-{tag}"
    _alarm(name, "Errors", {"Service": tag}, topic)
    # When the alarm fires
    _put("Errors", 99, {"Service": tag})
    assert wait_until(lambda: _state(name) == "ALARM")
    # Then the history records the failed action
    def failed() -> list[str]:
        items = boto3.client("cloudwatch").describe_alarm_history(AlarmName=name, HistoryItemType="Action")
        return [h["HistorySummary"] for h in items["AlarmHistoryItems"]]
    assert wait_until(failed)[0].startswith(f"Failed to execute action {topic}")
    # And the queue gets nothing
    assert _messages(url) == []


def test_metric_math_error_rate_alarm_fires() -> None:
    # Given the stacks' error-rate alarm shape on a custom namespace
    tag = uuid.uuid4().hex[:8]
    dims = [{"Name": "FunctionName", "Value": tag}]
    name = f"lc-alarm-math-{tag}"

    def query(id: str, metric: str) -> dict[str, Any]:
        return {"Id": id, "ReturnData": False, "MetricStat": {
            "Metric": {"Namespace": NAMESPACE, "MetricName": metric, "Dimensions": dims}, "Period": 60, "Stat": "Sum"}}

    boto3.client("cloudwatch").put_metric_alarm(
        AlarmName=name, EvaluationPeriods=5, DatapointsToAlarm=1, Threshold=5, TreatMissingData="notBreaching",
        ComparisonOperator="GreaterThanThreshold", Metrics=[
            query("invocations", "Invocations"), query("errors", "Errors"),
            {"Id": "rate", "Expression": "IF(invocations > 0, 100 * errors / invocations, 0)", "ReturnData": True}])
    # When half of the invocations fail: both counts in one request, so in one period (an emulated minute
    # is a real second here: two requests could straddle a period, and no period would hold both)
    boto3.client("cloudwatch").put_metric_data(Namespace=NAMESPACE, MetricData=[
        {"MetricName": metric, "Value": value, "Dimensions": dims}
        for metric, value in (("Invocations", 10), ("Errors", 5))])
    # Then the alarm fires
    assert wait_until(lambda: _state(name) == "ALARM")


def test_an_encrypted_topic_whose_key_policy_lacks_cloudwatch_gets_no_message() -> None:
    # Given a topic encrypted with a key whose (default) policy names only the account
    tag = uuid.uuid4().hex[:8]
    key = boto3.client("kms").create_key()["KeyMetadata"]["Arn"]
    topic = boto3.client("sns").create_topic(Name=f"lc-alarm-kms-{tag}", Attributes={"KmsMasterKeyId": key})["TopicArn"]
    url = _queue(True, topic)
    name = f"lc-alarm-kms-{tag}"
    _alarm(name, "Errors", {"Service": tag}, topic)
    # When the alarm fires
    _put("Errors", 99, {"Service": tag})
    # Then the history says CloudWatch could not use the key, and the queue gets nothing
    def failed() -> list[str]:
        items = boto3.client("cloudwatch").describe_alarm_history(AlarmName=name, HistoryItemType="Action")
        return [h["HistorySummary"] for h in items["AlarmHistoryItems"]]
    assert "does not have authorization to access the SNS topic encryption key" in wait_until(failed)[0]
    assert _messages(url) == []

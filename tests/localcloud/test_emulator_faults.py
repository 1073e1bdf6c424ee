"""The emulator's background work records its own faults instead of swallowing them (seen through real calls)."""

from __future__ import annotations

import json
import time
from collections.abc import Callable

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from localcloud import diagnostics
from localcloud.emulator import Emulator
from tests.localcloud.helpers import function

OK_HANDLER = "def handler(event, context):\n    return {'ok': True}\n"


def _faults(kind: str, timeout: float = 10.0, contains: str = "") -> tuple[diagnostics.Fault, ...]:
    deadline = time.time() + timeout
    while time.time() < deadline:
        found = [f for f in diagnostics.recorded() if f.kind == kind and contains in f.detail]
        if found:
            time.sleep(0.5)  # let a poller finish its current round
            return diagnostics.take(kind, detail=contains)
        time.sleep(0.2)
    return ()


def _queue(name: str) -> tuple[str, str]:
    sqs = boto3.client("sqs")
    url = sqs.create_queue(QueueName=name)["QueueUrl"]
    return url, sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]


def _raise(error: Exception) -> Callable[..., None]:
    def fail(*args: object, **kwargs: object) -> None:
        raise error
    return fail


def test_a_poller_fault_is_recorded_not_swallowed(emulator: Emulator, monkeypatch: pytest.MonkeyPatch) -> None:
    from moto.sqs.models import SQSBackend

    # Given an SQS mapping, When moto's receive fails with a bug (not an AWS error)
    _, arn = _queue("lc-faults-src")
    uuid = boto3.client("lambda").create_event_source_mapping(
        FunctionName=function("lc-faults-fn", OK_HANDLER), EventSourceArn=arn, BatchSize=1)["UUID"]
    monkeypatch.setattr(SQSBackend, "receive_message", _raise(KeyError("visibility")))
    faults = _faults("event_sources.poll", contains=uuid)
    monkeypatch.undo()
    boto3.client("lambda").delete_event_source_mapping(UUID=uuid)
    # Then the poller recorded it, naming the mapping
    assert faults and faults[0].error == "KeyError: 'visibility'"


def test_a_deleted_source_queue_is_no_emulator_fault(emulator: Emulator) -> None:
    # Given a mapping whose source queue is deleted (the poller gets QueueDoesNotExist, as in AWS)
    url, arn = _queue("lc-faults-gone")
    uuid = boto3.client("lambda").create_event_source_mapping(
        FunctionName=function("lc-faults-gone-fn", OK_HANDLER), EventSourceArn=arn, BatchSize=1)["UUID"]
    boto3.client("sqs").delete_queue(QueueUrl=url)
    # When the poller has polled a few times, Then nothing was recorded for that mapping
    faults = _faults("event_sources.poll", timeout=2.0, contains=uuid)
    boto3.client("lambda").delete_event_source_mapping(UUID=uuid)
    assert faults == ()


def test_an_exception_inside_moto_request_handling_is_recorded(emulator: Emulator, monkeypatch: pytest.MonkeyPatch) -> None:
    from moto.athena.responses import AthenaResponse

    monkeypatch.setattr(AthenaResponse, "list_capacity_reservations", _raise(RuntimeError("moto bug")), raising=False)
    athena = boto3.client("athena", config=Config(retries={"total_max_attempts": 1}))
    with pytest.raises(ClientError):
        athena.list_capacity_reservations()
    # Then exactly this request's fault is recorded (others of the session stay for its teardown check)
    taken = diagnostics.take("moto.request", error="moto bug")
    assert [(f.error, f.detail) for f in taken] == [("RuntimeError: moto bug", "POST / (moto)")]


def test_a_log_group_failure_is_recorded_and_the_invocation_still_answers(
        emulator: Emulator, monkeypatch: pytest.MonkeyPatch) -> None:
    from moto.logs.models import LogsBackend

    name = "lc-faults-logs-fn"
    function(name, OK_HANDLER)
    monkeypatch.setattr(LogsBackend, "put_log_events", _raise(TypeError("logs bug")))
    response = boto3.client("lambda").invoke(FunctionName=name, Payload=b"{}")
    monkeypatch.undo()
    assert "FunctionError" not in response and json.loads(response["Payload"].read()) == {"ok": True}
    assert [f.error for f in diagnostics.take("lambda.save_logs")] == ["TypeError: logs bug"]


def test_a_function_error_is_no_emulator_fault(emulator: Emulator) -> None:
    name = "lc-faults-raises-fn"
    function(name, "def handler(event, context):\n    raise ValueError('bad input')\n")
    before = diagnostics.recorded()
    response = boto3.client("lambda").invoke(FunctionName=name, Payload=b"{}")
    assert response["FunctionError"] == "Unhandled" and diagnostics.recorded() == before


def test_an_eventbridge_delivery_bug_is_recorded_and_dead_lettered(
        emulator: Emulator, monkeypatch: pytest.MonkeyPatch) -> None:
    from moto.sns.models import SNSBackend

    events, sqs = boto3.client("events"), boto3.client("sqs")
    dlq_url, dlq_arn = _queue("lc-faults-eb-dlq")
    topic = boto3.client("sns").create_topic(Name="lc-faults-topic")["TopicArn"]
    events.put_rule(Name="lc-faults-rule", EventPattern=json.dumps({"source": ["lc.faults"]}))
    events.put_targets(Rule="lc-faults-rule", Targets=[{"Id": "t", "Arn": topic, "DeadLetterConfig": {"Arn": dlq_arn}}])
    monkeypatch.setattr(SNSBackend, "publish", _raise(KeyError("sns bug")))
    events.put_events(Entries=[{"Source": "lc.faults", "DetailType": "t", "Detail": "{}"}])
    monkeypatch.undo()
    message = sqs.receive_message(QueueUrl=dlq_url, MessageAttributeNames=["All"], WaitTimeSeconds=5)["Messages"][0]
    assert message["MessageAttributes"]["ERROR_CODE"]["StringValue"] == "KeyError"
    assert [f.error for f in diagnostics.take("eventbridge.deliver")] == ["KeyError: 'sns bug'"]

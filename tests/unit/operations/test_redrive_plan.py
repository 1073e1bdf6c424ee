"""What redriving each kind of dead-lettered message does (pure: no AWS)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from operations.redrive import Action, Unredrivable, plan

MACHINE = "arn:aws:states:us-east-1:123456789012:stateMachine:txnpipe-files-local"
FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:txnpipe-aggregator-local"


def _message(body: object, **attributes: str) -> dict[str, Any]:
    return {"MessageId": "m1", "ReceiptHandle": "r1", "Body": body if isinstance(body, str) else json.dumps(body),
            "MessageAttributes": {k: {"DataType": "String", "StringValue": v} for k, v in attributes.items()}}


def test_a_rule_dlq_event_for_a_state_machine_starts_an_execution_named_after_the_event() -> None:
    event = {"id": "0b6c-e2", "detail-type": "Object Created"}
    action = plan(_message(event, RULE_ARN="arn:aws:events:...:rule/r", TARGET_ARN=MACHINE))
    assert action == Action("start-execution", MACHINE, json.dumps(event), name="redrive-0b6c-e2")


def test_a_schedule_dlq_entry_for_a_function_invokes_it_asynchronously_with_the_body() -> None:
    action = plan(_message({"scheduled_time": "2026-12-02T10:05:00Z"}, SCHEDULE_ARN="arn:...", TARGET_ARN=FUNCTION))
    assert (action.kind, action.target, json.loads(action.payload)) == (
        "invoke-async", FUNCTION, {"scheduled_time": "2026-12-02T10:05:00Z"})


def test_an_async_on_failure_record_reinvokes_with_the_original_payload() -> None:
    record = {"requestContext": {"functionArn": FUNCTION}, "requestPayload": {"scheduled_time": "t"}}
    assert plan(_message(record)) == Action("invoke-async", FUNCTION, json.dumps({"scheduled_time": "t"}))


def test_a_stream_on_failure_record_replays_its_batch() -> None:
    info = {"streamArn": "arn:s", "shardId": "sh", "startSequenceNumber": "1", "endSequenceNumber": "9"}
    action = plan(_message({"requestContext": {"functionArn": FUNCTION}, "DDBStreamBatchInfo": info}))
    assert (action.kind, json.loads(action.payload)) == ("replay-stream-batch", info)


@pytest.mark.parametrize(("body", "attributes", "reason"), [
    ("not json", {}, "body is not JSON"),
    ({"some": "thing"}, {}, "no TARGET_ARN, no functionArn"),
    ({"requestContext": {"functionArn": FUNCTION}}, {}, "neither requestPayload nor DDBStreamBatchInfo"),
    ({"id": "e"}, {"TARGET_ARN": "arn:aws:sns:us-east-1:1:topic"}, "supports Step Functions, Lambda and SQS"),
    ({"no": "id"}, {"TARGET_ARN": MACHINE}, "without an event id"),
])
def test_a_message_it_cannot_send_back_is_refused_with_the_reason(body: object, attributes: dict[str, str],
                                                                  reason: str) -> None:
    with pytest.raises(Unredrivable, match=reason):
        plan(_message(body, **attributes))


def test_an_execution_name_stays_within_step_functions_80_characters() -> None:
    action = plan(_message({"id": "x" * 100}, TARGET_ARN=MACHINE))
    assert len(action.name) == 80

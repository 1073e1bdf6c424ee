"""Step Functions quotas in the emulator: 256 KiB payloads (terminal error) and 25,000 history events.

Tiny state machines cross each limit by one byte or one event, and stay on it exactly.
"""

from __future__ import annotations

import itertools
import json
import time
import uuid
from typing import Any

import boto3
import pytest

from localcloud.emulator import Emulator
from localcloud.patches import stepfunctions_limits
from localcloud.patches.stepfunctions_limits import MAX_PAYLOAD_BYTES, payload_bytes
from tests.localcloud.helpers import role

# {"s":"<n x>"} is n + 8 bytes of compact JSON.
ENVELOPE = len('{"s":""}')


def run(definition: dict[str, Any], payload: dict[str, Any] | None = None, timeout_s: float = 120) -> dict[str, Any]:
    """Create a state machine, run it once to its end; return DescribeExecution plus the history."""
    sfn = boto3.client("stepfunctions")
    arn = sfn.create_state_machine(name=f"limits-{uuid.uuid4().hex[:8]}", definition=json.dumps(definition),
                                   roleArn=role("lc-test-sfn", "states.amazonaws.com"))["stateMachineArn"]
    execution = sfn.start_execution(stateMachineArn=arn, input=json.dumps(payload or {}))["executionArn"]
    deadline = time.monotonic() + timeout_s
    while (described := sfn.describe_execution(executionArn=execution))["status"] == "RUNNING":
        assert time.monotonic() < deadline, "execution still running"
        time.sleep(0.2)
    pages = sfn.get_paginator("get_execution_history").paginate(executionArn=execution, PaginationConfig={"PageSize": 1000})
    return {**described, "events": [e for page in pages for e in page["events"]]}


def pass_result(size: int, catch: bool = False) -> dict[str, Any]:
    """A Task-free machine whose Pass state outputs exactly `size` bytes; optionally under a catch-all."""
    body = {"Type": "Pass", "Result": {"s": "x" * (size - ENVELOPE)}, "End": True}
    if not catch:
        return {"StartAt": "Big", "States": {"Big": body}}
    # A Parallel wraps the Pass so a Catch (States.ALL) is in place around the oversized output.
    return {"StartAt": "Guard", "States": {
        "Guard": {"Type": "Parallel", "Branches": [{"StartAt": "Big", "States": {"Big": body}}],
                  "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Handled"}], "End": True},
        "Handled": {"Type": "Pass", "Result": "caught", "End": True}}}


def test_payload_size_is_compact_utf8_json() -> None:
    assert payload_bytes({"s": "é" * 3}) == ENVELOPE + 6


def test_an_output_of_exactly_256_kib_passes(emulator: Emulator) -> None:
    # Given a state whose output is exactly 262,144 bytes of JSON
    execution = run(pass_result(MAX_PAYLOAD_BYTES))
    # Then the execution succeeds (the quota is inclusive)
    assert execution["status"] == "SUCCEEDED", execution.get("cause")


def test_an_output_one_byte_over_fails_with_data_limit_exceeded(emulator: Emulator) -> None:
    execution = run(pass_result(MAX_PAYLOAD_BYTES + 1))
    assert execution["status"] == "FAILED"
    assert execution["error"] == "States.DataLimitExceeded"


def test_non_ascii_counts_its_utf8_bytes(emulator: Emulator) -> None:
    # Given 131,069 two-byte characters: 262,146 bytes as UTF-8 (moto counted `\\u00e9` escapes: 6 bytes each)
    text = "é" * ((MAX_PAYLOAD_BYTES - ENVELOPE) // 2 + 1)
    definition = {"StartAt": "Big", "States": {"Big": {"Type": "Pass", "Result": {"s": text}, "End": True}}}
    assert run(definition)["error"] == "States.DataLimitExceeded"


def test_states_all_does_not_catch_data_limit_exceeded(emulator: Emulator) -> None:
    # Given an oversized output inside a Parallel whose Catch is States.ALL
    execution = run(pass_result(MAX_PAYLOAD_BYTES + 1, catch=True))
    # Then the catch-all does not apply: the execution fails with the terminal error
    assert execution["status"] == "FAILED"
    assert execution["error"] == "States.DataLimitExceeded"


def test_states_all_still_catches_other_errors(emulator: Emulator) -> None:
    definition = {"StartAt": "Guard", "States": {
        "Guard": {"Type": "Parallel", "Branches": [{"StartAt": "Boom", "States": {"Boom": {"Type": "Fail", "Error": "Boom"}}}],
                  "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Handled"}], "End": True},
        "Handled": {"Type": "Pass", "End": True}}}
    assert run(definition)["status"] == "SUCCEEDED"


def test_a_task_result_over_256_kib_fails_the_execution(emulator: Emulator) -> None:
    # Given a Lambda task returning one byte over the quota (a connector's output)
    from tests.localcloud.helpers import function

    source = f"def handler(event, context):\n    return {{'s': 'x' * {MAX_PAYLOAD_BYTES - ENVELOPE + 1}}}\n"
    arn = function(f"lc-big-{uuid.uuid4().hex[:6]}", source)
    definition = {"StartAt": "Big", "States": {"Big": {"Type": "Task", "Resource": arn, "End": True,
                                                        "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Handled"}]},
                                                "Handled": {"Type": "Pass", "End": True}}}
    execution = run(definition)
    assert (execution["status"], execution["error"]) == ("FAILED", "States.DataLimitExceeded")


def chain(states: int) -> dict[str, Any]:
    """`states` Pass states in a row: 2 + 2 x states history events (ExecutionStarted, Entered/Exited each, Succeeded)."""
    names = [f"P{i}" for i in range(states)]
    body = {n: {"Type": "Pass", "ResultPath": None, "Next": after} for n, after in itertools.pairwise(names)}
    return {"StartAt": "P0", "States": {**body, names[-1]: {"Type": "Pass", "ResultPath": None, "End": True}}}


@pytest.fixture
def quota_of_200(monkeypatch: pytest.MonkeyPatch) -> int:
    """The history quota lowered to 200 events for the behaviour tests.

    At AWS's 25,000 the same machines (12,499 / 12,500 Pass states) take 2-5 minutes each in moto
    on this VM; measured: 12,499 succeed with exactly 25,000 events, 12,500 fail at event 25,000.
    """
    monkeypatch.setattr(stepfunctions_limits, "MAX_HISTORY_EVENTS", 200)
    return 200


def test_the_history_quota_is_aws_s() -> None:
    assert stepfunctions_limits.MAX_HISTORY_EVENTS == 25_000


def test_history_event_count_of_the_probe_machine(emulator: Emulator) -> None:
    assert len(run(chain(3))["events"]) == 2 + 2 * 3


def test_an_execution_whose_last_allowed_event_is_its_success_succeeds(emulator: Emulator, quota_of_200: int) -> None:
    # Given a machine that needs exactly as many events as the quota (2 + 2 x 99 = 200)
    execution = run(chain(99))
    # Then it succeeds with a full history
    assert execution["status"] == "SUCCEEDED", execution.get("cause")
    assert len(execution["events"]) == quota_of_200


def test_an_execution_needing_more_events_fails_at_the_quota(emulator: Emulator, quota_of_200: int) -> None:
    # Given a machine that would need 202 events
    execution = run(chain(100))
    # Then the last allowed event is ExecutionFailed and the execution failed for its history
    assert execution["status"] == "FAILED"
    assert execution["cause"] == "The execution reached the maximum number of history events (200)."
    assert len(execution["events"]) == quota_of_200
    assert execution["events"][-1]["type"] == "ExecutionFailed"


def test_a_catch_all_does_not_rescue_an_execution_out_of_history(emulator: Emulator, quota_of_200: int) -> None:
    # Given the history runs out inside a Parallel with a States.ALL catch
    definition = {"StartAt": "Guard", "States": {
        "Guard": {"Type": "Parallel", "Branches": [chain(120)], "End": True,
                  "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Handled"}]},
        "Handled": {"Type": "Pass", "End": True}}}
    execution = run(definition)
    # Then the execution fails, not the branch
    assert execution["status"] == "FAILED"
    assert len(execution["events"]) == quota_of_200

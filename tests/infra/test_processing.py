"""Property tests of the synthesized file pipeline: routing pattern, retries/catches, least privilege."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from moto.events.models import EventPattern

from tests.synth import Synth


def rule(local: Synth) -> dict[str, Any]:
    (body,) = local.resources("processing", "aws_cloudwatch_event_rule").values()
    return body


def s3_event(key: str, bucket: str) -> dict[str, Any]:
    return {"source": "aws.s3", "detail-type": "Object Created",
            "detail": {"bucket": {"name": bucket}, "object": {"key": key, "size": 10}}}


@pytest.mark.parametrize(("key", "matches"), [
    ("uploads/p1/a.csv", True), ("uploads/p1/b.json", True), ("uploads/p1/c.txt", False),
    ("other/d.csv", False), ("uploads/p1/e.CSV.bak", False), ("uploads/p1/f.CSV", False),
])
def test_upload_rule_matches_only_csv_and_json_under_uploads(local: Synth, key: str, matches: bool) -> None:
    pattern_text = rule(local)["event_pattern"]
    bucket = json.loads(pattern_text)["detail"]["bucket"]["name"][0]
    assert EventPattern.load(pattern_text).matches_event(s3_event(key, bucket)) is matches


def states(local: Synth) -> dict[str, Any]:
    (machine,) = local.resources("processing", "aws_sfn_state_machine").values()
    return json.loads(machine["definition"])


def walk(states_: dict[str, Any], enclosing_catch: bool = False) -> Iterator[tuple[str, dict[str, Any], bool]]:
    """(name, state, caught by itself or an enclosing Map/Parallel) for every state, nested too."""
    for name, state in states_.items():
        caught = enclosing_catch or bool(state.get("Catch"))
        yield name, state, caught
        for branch in state.get("Branches", []):
            yield from walk(branch["States"], caught)
        if "ItemProcessor" in state:
            yield from walk(state["ItemProcessor"]["States"], caught)


def test_every_task_retries_transient_errors_with_backoff_and_is_caught(local: Synth) -> None:
    tasks = [(n, s, c) for n, s, c in walk(states(local)["States"]) if s["Type"] == "Task"]
    assert len(tasks) >= 12
    for name, state, caught in tasks:
        retry = state["Retry"][-1]  # the standard policy; a Task may put a more specific retrier before it
        assert "TransientError" in retry["ErrorEquals"], name
        assert retry["MaxAttempts"] <= 3 and retry["BackoffRate"] >= 2 and retry["IntervalSeconds"] >= 1, name
        assert retry["JitterStrategy"] == "FULL", name
        assert caught, f"{name} has no Catch (nor an enclosing one)"


def load_part(local: Synth) -> dict[str, Any]:
    return next(s for n, s, _ in walk(states(local)["States"]) if n == "LoadPart")


def test_a_throttled_load_waits_minutes_for_a_slot_before_the_standard_retry(local: Synth) -> None:
    # Given load_transactions' reserved concurrency, When several files load at once, Then a throttled part backs off
    throttled, _, standard = load_part(local)["Retry"]
    assert throttled["ErrorEquals"] == ["Lambda.TooManyRequestsException"]
    assert throttled["MaxAttempts"] * throttled["MaxDelaySeconds"] >= 300
    assert "TransientError" in standard["ErrorEquals"]


def test_a_load_whose_runtime_died_mid_batch_is_run_again(local: Synth) -> None:
    # Given the load is idempotent (keyed puts), When its runtime is killed (out of memory, crash), Then it is retried
    exited = load_part(local)["Retry"][1]
    assert (exited["ErrorEquals"], exited["MaxAttempts"], exited["JitterStrategy"]) == (["Runtime.ExitError"], 2, "FULL")


def test_failures_are_recorded_as_failed_and_alerted(local: Synth) -> None:
    top = states(local)["States"]
    assert top["RecordFailure"]["Parameters"]["status"] == "FAILED"
    assert top["RecordFailure"]["Next"] == "AlertFailure"
    alerts = [c["Next"] for c in top["AlertFailure"]["Choices"]] + [top["AlertFailure"]["Default"]]
    assert {top[a]["Resource"] for a in alerts} == {"arn:aws:states:::sns:publish"}
    catch_targets = {c["Next"] for _, s, _ in walk(top) for c in s.get("Catch", [])}
    assert catch_targets <= {"RecordFailure", "AlertFailure", "Failed"}


def test_large_files_go_through_a_bounded_distributed_map(local: Synth) -> None:
    chunks = states(local)["States"]["ValidateChunks"]
    assert chunks["ItemProcessor"]["ProcessorConfig"]["Mode"] == "DISTRIBUTED"
    assert 0 < chunks["MaxConcurrency"] <= 100 and chunks["ItemSelector"]["chunk.$"] == "$$.Map.Item.Value"
    assert "ToleratedFailurePercentage" in chunks


def test_machine_logs_without_execution_data_and_traces(local: Synth) -> None:
    (machine,) = local.resources("processing", "aws_sfn_state_machine").values()
    assert machine["type"] == "STANDARD"
    assert machine["logging_configuration"]["include_execution_data"] is False
    assert machine["tracing_configuration"]["enabled"] is True


def test_rule_target_has_retry_policy_dead_letter_queue_and_role(local: Synth) -> None:
    (target,) = local.resources("processing", "aws_cloudwatch_event_target").values()
    assert target["retry_policy"]["maximum_retry_attempts"] > 0
    assert "aws_sqs_queue" in target["dead_letter_config"]["arn"] and target["role_arn"]
    policies = [json.loads(p["policy"])["Statement"] for p in local.resources("processing", "aws_sqs_queue_policy").values()
                if p["//"]["metadata"]["path"].startswith("processing-local/upload-routing/")]
    (statements,) = policies
    send = next(s for s in statements if s["Action"] == ["sqs:SendMessage"])
    assert "aws_cloudwatch_event_rule" in send["Condition"]["ArnEquals"]["aws:SourceArn"]


def role_actions(local: Synth, function: str) -> set[str]:
    actions: set[str] = set()
    for body in local.resources("processing", "aws_iam_role_policy").values():
        if body["//"]["metadata"]["path"].split("/")[1] == function:
            for statement in json.loads(body["policy"])["Statement"]:
                actions.update(statement["Action"])
    return actions


@pytest.mark.parametrize(("function", "expected"), [
    ("register-file", {"dynamodb:PutItem", "dynamodb:UpdateItem"}),  # UpdateItem: a reprocess request
    ("file-status", {"dynamodb:UpdateItem", "dynamodb:PutItem"}),
    ("validate-file", {"s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"}),
    ("load-transactions", {"s3:GetObject", "dynamodb:BatchGetItem", "dynamodb:PutItem", "dynamodb:UpdateItem",
                           "s3:PutObject"}),  # UpdateItem: its counts; PutObject: conflicting rows
    ("summarize-quarantine", {"s3:GetObject", "dynamodb:PutItem"}),
])
def test_each_function_gets_only_what_its_step_uses(local: Synth, function: str, expected: set[str]) -> None:
    runtime = {"logs:CreateLogStream", "logs:PutLogEvents", "xray:PutTraceSegments", "xray:PutTelemetryRecords",
               "kms:Decrypt", "kms:GenerateDataKey"}
    assert role_actions(local, function) == expected | runtime


def test_glue_columns_match_the_parquet_schema() -> None:
    # Given the Glue table's columns and the schema the validator writes Parquet with
    from stacks.processing.analytics import COLUMNS
    from txnpipe.domain.schema import PROCESSED_SCHEMA

    # When their column names are compared, Then they are the same, in the same order
    assert [name for name, _ in COLUMNS] == PROCESSED_SCHEMA.names

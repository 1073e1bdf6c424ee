"""The observability stack is generated from the other stacks: every resource they synthesize is watched."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from tests.security.tfjson import Stacks
from tests.synth import Synth


@pytest.fixture(scope="module")
def stacks(local: Synth) -> Stacks:
    return Stacks.of(local)


def alarms(stacks: Stacks) -> list[dict[str, Any]]:
    return [b for *_, b in stacks.resources("aws_cloudwatch_metric_alarm")]


def _dims(alarm: dict[str, Any]) -> list[dict[str, str]]:
    out = [alarm.get("dimensions") or {}]
    out += [(q.get("metric") or [{}])[0].get("dimensions") or {} if isinstance(q.get("metric"), list)
            else (q.get("metric") or {}).get("dimensions") or {} for q in alarm.get("metric_query") or []]
    return out


def _metrics(alarm: dict[str, Any]) -> set[str]:
    names = {alarm.get("metric_name")}
    for q in alarm.get("metric_query") or []:
        metric = q.get("metric")
        metric = metric[0] if isinstance(metric, list) else metric
        if metric:
            names.add(metric["metric_name"])
    return names - {None}


def watching(stacks: Stacks, key: str, value: str) -> list[dict[str, Any]]:
    """Alarms with dimension `key` = `value` (after resolving references)."""
    return [a for a in alarms(stacks)
            if any(stacks.resolve("observability", d.get(key)) == value for d in _dims(a))]


def test_every_function_in_every_stack_has_an_error_rate_alarm_from_errors_and_invocations(stacks: Stacks) -> None:
    functions = [(c, b) for c, _, _, b in stacks.resources("aws_lambda_function")]
    assert functions
    for concern, body in functions:
        name = stacks.resolve(concern, body["function_name"])
        mine = watching(stacks, "FunctionName", name)
        (rate,) = [a for a in mine if {"Errors", "Invocations"} <= _metrics(a)]
        expressions = [q["expression"] for q in rate["metric_query"] if q.get("expression")]
        assert expressions == ["IF(invocations > 0, 100 * errors / invocations, 0)"]
        assert [q.get("return_data") for q in rate["metric_query"] if q.get("expression")] == [True]
        assert rate["threshold"] == 5 and rate["comparison_operator"] == "GreaterThanThreshold"
        assert rate["treat_missing_data"] == "notBreaching"
        assert 1 < rate["datapoints_to_alarm"] < rate["evaluation_periods"]  # M of N
        assert {"Throttles", "Duration"} <= set().union(*(_metrics(a) for a in mine)), name
        (duration,) = [a for a in mine if _metrics(a) == {"Duration"}]
        assert duration["threshold"] < body["timeout"] * 1000


def test_one_error_rate_alarm_per_function(stacks: Stacks) -> None:
    functions = sum(1 for _ in stacks.resources("aws_lambda_function"))
    rates = [a for a in alarms(stacks) if {"Errors", "Invocations"} <= _metrics(a)]
    assert len(rates) == functions


def test_every_alarm_notifies_the_encrypted_alert_topic_on_alarm_and_ok(stacks: Stacks) -> None:
    (topic,) = [(c, n, b) for c, _, n, b in stacks.resources("aws_sns_topic") if "alerts" in n]
    concern, name, body = topic
    assert body["kms_master_key_id"]
    topic_arn = stacks.value(concern, f"aws_sns_topic.{name}.arn")
    subscriptions = [b for *_, b in stacks.resources("aws_sns_topic_subscription") if b["protocol"] == "email"]
    assert subscriptions and stacks.resolve("storage", subscriptions[0]["topic_arn"]) == topic_arn
    assert alarms(stacks)
    for alarm in alarms(stacks):
        assert stacks.resolve("observability", alarm["alarm_actions"]) == [topic_arn], alarm["alarm_name"]
        assert stacks.resolve("observability", alarm["ok_actions"]) == [topic_arn], alarm["alarm_name"]


def test_every_queue_state_machine_api_and_table_is_watched(stacks: Stacks) -> None:
    for concern, _, _, body in stacks.resources("aws_sqs_queue"):
        metrics = set().union(*(_metrics(a) for a in watching(stacks, "QueueName", stacks.resolve(concern, body["name"]))))
        assert metrics & {"ApproximateNumberOfMessagesVisible", "ApproximateAgeOfOldestMessage"}, body["name"]
    for concern, _, name, _ in stacks.resources("aws_sfn_state_machine"):
        arn = stacks.value(concern, f"aws_sfn_state_machine.{name}.arn")
        metrics = set().union(*(_metrics(a) for a in watching(stacks, "StateMachineArn", arn)))
        assert {"ExecutionsFailed", "ExecutionsTimedOut", "ExecutionThrottled", "ExecutionsAborted"} <= metrics, name
    for concern, _, _, body in stacks.resources("aws_api_gateway_rest_api"):
        metrics = set().union(*(_metrics(a) for a in watching(stacks, "ApiName", stacks.resolve(concern, body["name"]))))
        assert {"5XXError", "4XXError", "Latency"} <= metrics, body["name"]
    for concern, _, _, body in stacks.resources("aws_dynamodb_table"):
        metrics = set().union(*(_metrics(a) for a in watching(stacks, "TableName", stacks.resolve(concern, body["name"]))))
        assert {"ReadThrottleEvents", "WriteThrottleEvents"} <= metrics, body["name"]


def test_api_rates_use_the_average_statistic(stacks: Stacks) -> None:
    for alarm in alarms(stacks):
        if _metrics(alarm) & {"5XXError", "4XXError"}:
            assert alarm["statistic"] == "Average"
        if _metrics(alarm) == {"Latency"}:
            assert alarm["extended_statistic"] == "p99"


def test_the_sla_alarm_watches_the_agreed_metric_and_breaches_when_silent(stacks: Stacks) -> None:
    (sla,) = [a for a in alarms(stacks) if a.get("metric_name") == "FilesOverdue"]
    assert sla["namespace"] == "txnpipe" and sla["dimensions"] == {"Workspace": "local"}
    assert sla["treat_missing_data"] == "breaching" and sla["threshold"] == 0


def test_every_function_log_group_has_an_error_line_metric_filter(stacks: Stacks) -> None:
    filters = {stacks.resolve(c, b["log_group_name"]): b for c, _, _, b in
               stacks.resources("aws_cloudwatch_log_metric_filter")}
    for concern, _, _, body in stacks.resources("aws_lambda_function"):
        group = f"/aws/lambda/{stacks.resolve(concern, body['function_name'])}"
        assert group in filters and "ERROR" in filters[group]["pattern"], group
        groups = {stacks.resolve(c, b["name"]) for c, _, _, b in stacks.resources("aws_cloudwatch_log_group")}
        assert group in groups  # the filter targets a log group the stacks manage


# -- the dashboard ------------------------------------------------------------------------
DIMENSION_TARGETS = {
    "FunctionName": ("aws_lambda_function", "function_name"),
    "QueueName": ("aws_sqs_queue", "name"),
    "StateMachineArn": ("aws_sfn_state_machine", "arn"),
    "ApiName": ("aws_api_gateway_rest_api", "name"),
    "TableName": ("aws_dynamodb_table", "name"),
    "TopicName": ("aws_sns_topic", "name"),
}


def _dashboard_metrics(stacks: Stacks) -> list[list[Any]]:
    ((concern, _, _, body),) = list(stacks.resources("aws_cloudwatch_dashboard"))
    doc = json.loads(stacks.resolve(concern, body["dashboard_body"]))
    return [m for w in doc["widgets"] if w["type"] == "metric" for m in w["properties"]["metrics"]]


def test_every_dashboard_dimension_is_a_synthesized_resource(stacks: Stacks) -> None:
    known: dict[str, set[str]] = {}
    for key, (type_, attribute) in DIMENSION_TARGETS.items():
        known[key] = {stacks.value(c, f"{type_}.{n}.{attribute}") for c, _, n, _ in stacks.resources(type_)}
    seen = 0
    for metric in _dashboard_metrics(stacks):
        if isinstance(metric[0], dict):  # an expression (metric math / SEARCH), no dimension list
            continue
        plain = [m for m in metric if isinstance(m, str)]
        dims = dict(zip(plain[2::2], plain[3::2], strict=False))
        for key, value in dims.items():
            if key in known:
                assert value in known[key], f"dashboard {key}={value} is no synthesized resource"
                seen += 1
    assert seen >= sum(1 for _ in stacks.resources("aws_lambda_function")) + 4


def test_the_dashboard_shows_throughput_error_rates_sla_dlqs_and_anomalies(stacks: Stacks) -> None:
    ((_, _, _, body),) = list(stacks.resources("aws_cloudwatch_dashboard"))
    titles = " | ".join(w["properties"].get("title", "") for w in json.loads(body["dashboard_body"])["widgets"])
    for word in ("Throughput", "error rate", "SLA", "Anomalies", "Alarms"):
        assert word in titles
    if any(True for _ in stacks.resources("aws_sqs_queue")):
        assert "Dead-letter" in titles
    assert re.search(r"IF\(i0 > 0, 100 \* e0 / i0, 0\)", body["dashboard_body"])


# -- alarms grow with the registry ---------------------------------------------------------
def _synth_alarms(n_functions: int) -> dict[str, Any]:
    from cdktf import App, TerraformStack, Testing

    from stacks.naming import Namer
    from stacks.observability.alarms import PipelineAlarms
    from stacks.observability.registry import Watched, WatchedFunction

    app = Testing.app()
    stack = TerraformStack(app, "t")
    watched = Watched(functions=[
        WatchedFunction(short=f"f{i}", name=f"txnpipe-f{i}-local", log_group=f"/aws/lambda/txnpipe-f{i}-local",
                        timeout_s=30) for i in range(n_functions)
    ])
    PipelineAlarms(stack, "alarms", watched=watched, topic_arn="arn:aws:sns:us-east-1:123456789012:t",
                   namer=Namer("local"), workspace="local")
    assert isinstance(app, App)
    return json.loads(Testing.synth(stack))


def test_adding_a_function_to_a_registry_adds_its_alarms() -> None:
    # Given the alarms of a registry with two functions and of one with a third function more
    small, large = _synth_alarms(2), _synth_alarms(3)
    # When their alarms and metric filters are counted
    n_small = len(small["resource"]["aws_cloudwatch_metric_alarm"])
    n_large = len(large["resource"]["aws_cloudwatch_metric_alarm"])
    rates = [a for a in large["resource"]["aws_cloudwatch_metric_alarm"].values() if a.get("metric_query")]
    # Then the third function adds its three alarms (error rate, throttles, duration)
    assert n_large - n_small == 3
    # And every function has its ERROR-line metric filter
    assert len(large["resource"]["aws_cloudwatch_log_metric_filter"]) == 3
    # And its error-rate alarm is named after the function
    assert sorted(a["alarm_name"] for a in rates) == [f"txnpipe-fn-f{i}-error-rate-local" for i in range(3)]


def _registered_queue(queue_name: str) -> Any:
    """What `watched_from` makes of a stack that registers one queue by the token its construct holds."""
    from cdktf import TerraformStack, Testing

    from stacks.constructs.messaging import SecureQueue
    from stacks.observability.registry import Monitored, WatchedQueue
    from stacks.observability.stack import watched_from

    stack = TerraformStack(Testing.app(), "t")
    queue = SecureQueue(stack, "work", name=queue_name, kms_key_arn="arn:aws:kms:us-east-1:123456789012:key/k")
    stack.monitored = Monitored(queues=[WatchedQueue(name=queue.name, dlq=False)])
    (watched,) = watched_from([stack], workspace="local", region="us-east-1", account_id="123456789012").queues
    return watched


def test_a_registered_token_name_is_watched_by_its_plain_name() -> None:
    # Given a stack that registers its queue by `SecureQueue.name` (a token)
    # When the registries are merged
    watched = _registered_queue("txnpipe-work-local")
    # Then the alarms get the queue's literal name (no cross-stack output needed)
    assert watched.name == "txnpipe-work-local"


def test_a_registered_resource_gets_its_short_name_when_merged() -> None:
    # Given a stack that registers a queue without a short name
    # When the registries are merged
    watched = _registered_queue("txnpipe-work-local")
    # Then its short name (construct ids, alarm names) is the name without project and workspace
    assert watched.short == "work"


def test_observability_deploys_after_every_stack_whose_log_groups_and_topic_it_uses(local: Synth) -> None:
    # Given the synthesized manifest (what `cdktf deploy` orders and parallelizes stacks by)
    manifest = json.loads((local.outdir / "manifest.json").read_text())["stacks"]
    # Then observability waits for storage (alert topic), processing and api (function log groups):
    # the names are plain strings, so without a declared dependency nothing orders them
    assert set(manifest[f"observability-{local.workspace}"]["dependencies"]) == {
        f"{concern}-{local.workspace}" for concern in ("storage", "processing", "api")}

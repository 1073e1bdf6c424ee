"""One CloudWatch dashboard: the pipeline's health at a glance, generated from the same data as the alarms."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from cdktf_cdktf_provider_aws.cloudwatch_dashboard import CloudwatchDashboard
from cdktf_cdktf_provider_aws.cloudwatch_metric_alarm import CloudwatchMetricAlarm
from constructs import Construct

from stacks.observability.alarms import (
    ANOMALY_METRIC,
    LOG_NAMESPACE,
    SLA_METRIC,
    SLA_NAMESPACE,
    SLA_SECONDS,
    error_lines_metric,
)
from stacks.observability.registry import Watched

WIDTH, HEIGHT = 12, 6  # two widgets per row
MAX_ALARMS_IN_WIDGET = 100  # CloudWatch limit of an alarm-status widget
# Business metrics the pipeline's handlers publish (Powertools EMF, namespace `txnpipe`).
PIPELINE_METRICS = ("RowsValid", "RowsRejected", "TransactionsLoaded", "FilesRejected")


def _search(metric_names: Sequence[str], stat: str, label: str, id: str) -> list[Any]:
    """A SEARCH over the pipeline's own (Powertools EMF) metrics, whatever dimensions they carry."""
    names = " OR ".join(f'MetricName="{m}"' for m in metric_names)
    return [{"expression": f"SEARCH('{{{SLA_NAMESPACE}}} {names}', '{stat}', 300)", "label": label, "id": id}]


def dashboard_body(
    watched: Watched, *, region: str, workspace: str, alarm_arns: Sequence[str], alert_topic: str | None = None,
) -> str:
    """The dashboard JSON: alarm states, throughput, error rates, SLA, queues/DLQs, anomalies, API, tables."""
    fns, queues, sfns, apis = watched.functions, watched.queues, watched.state_machines, watched.apis
    widgets: list[tuple[str, list[Any], dict[str, Any]]] = []

    def add(title: str, metrics: list[Any], **extra: Any) -> None:
        if metrics:  # a widget without metrics is refused by CloudWatch
            widgets.append((title, metrics, extra))

    add("Throughput: function invocations / min",
        [["AWS/Lambda", "Invocations", "FunctionName", f.name, {"stat": "Sum"}] for f in fns]
        + [["AWS/States", "ExecutionsStarted", "StateMachineArn", m.arn, {"stat": "Sum"}] for m in sfns]
        + [["AWS/ApiGateway", "Count", "ApiName", a.name, "Stage", a.stage, {"stat": "Sum"}] for a in apis])
    rates: list[Any] = []
    for i, f in enumerate(fns):
        rates += [
            ["AWS/Lambda", "Invocations", "FunctionName", f.name, {"id": f"i{i}", "stat": "Sum", "visible": False}],
            ["AWS/Lambda", "Errors", "FunctionName", f.name, {"id": f"e{i}", "stat": "Sum", "visible": False}],
            [{"expression": f"IF(i{i} > 0, 100 * e{i} / i{i}, 0)", "label": f"{f.short} error %", "id": f"r{i}"}],
        ]
    add("Function error rate (%)", rates, yAxis={"left": {"min": 0, "max": 100}})
    add("SLA: files not terminal 15 min after upload; slowest execution (ms, right)",
        [[SLA_NAMESPACE, SLA_METRIC, "Workspace", workspace, {"stat": "Maximum", "label": "files overdue"}]]
        + [["AWS/States", "ExecutionTime", "StateMachineArn", m.arn,
            {"stat": "Maximum", "yAxis": "right", "label": f"{m.short} max execution (ms)"}] for m in sfns],
        annotations={"horizontal": [{"value": SLA_SECONDS * 1000, "yAxis": "right", "label": "SLA"}]})
    add("State machine failures",
        [["AWS/States", metric, "StateMachineArn", m.arn, {"stat": "Sum", "label": f"{m.short} {metric}"}]
         for m in sfns for metric in ("ExecutionsFailed", "ExecutionsTimedOut", "ExecutionThrottled",
                                      "ExecutionsAborted")])
    add("Dead-letter queues: messages waiting",
        [["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", q.name, {"stat": "Maximum"}]
         for q in queues if q.dlq])
    add("Work queues: age of oldest message (s)",
        [["AWS/SQS", "ApproximateAgeOfOldestMessage", "QueueName", q.name, {"stat": "Maximum"}]
         for q in queues if not q.dlq])
    add("Pipeline throughput: rows and transactions / 5 min",
        [_search(PIPELINE_METRICS, "Sum", "pipeline", "rows")])
    add("Anomalies detected; alerts published",
        [_search([ANOMALY_METRIC], "Sum", "anomalies", "anomalies")]
        + ([["AWS/SNS", "NumberOfMessagesPublished", "TopicName", alert_topic, {"stat": "Sum", "label": "alerts"}]]
           if alert_topic else []))
    add("API: 5XX / 4XX rate",
        [["AWS/ApiGateway", m, "ApiName", a.name, "Stage", a.stage, {"stat": "Average"}]
         for a in apis for m in ("5XXError", "4XXError")])
    add("API: p99 latency (ms)",
        [["AWS/ApiGateway", "Latency", "ApiName", a.name, "Stage", a.stage, {"stat": "p99"}] for a in apis])
    add("DynamoDB throttle events",
        [["AWS/DynamoDB", m, "TableName", table.name, {"stat": "Sum"}]
         for table in watched.tables for m in ("ReadThrottleEvents", "WriteThrottleEvents")])
    add("ERROR log lines per function",
        [[LOG_NAMESPACE, error_lines_metric(f.name), {"stat": "Sum", "label": f.short}] for f in fns])

    body: list[dict[str, Any]] = [{
        "type": "alarm", "x": 0, "y": 0, "width": 2 * WIDTH, "height": 4,
        "properties": {"title": "Alarms", "alarms": list(alarm_arns)[:MAX_ALARMS_IN_WIDGET]},
    }]
    for n, (title, metrics, extra) in enumerate(widgets):
        body.append({
            "type": "metric", "x": (n % 2) * WIDTH, "y": 4 + (n // 2) * HEIGHT, "width": WIDTH, "height": HEIGHT,
            "properties": {"title": title, "region": region, "view": "timeSeries", "period": 60,
                           "metrics": metrics, **extra},
        })
    return json.dumps({"widgets": body})


class PipelineDashboard(Construct):
    """The dashboard `txnpipe-health-<workspace>`."""

    def __init__(
        self, scope: Construct, id: str, *, name: str, watched: Watched, region: str, workspace: str,
        alarms: Sequence[CloudwatchMetricAlarm], alert_topic: str | None = None,
    ) -> None:
        super().__init__(scope, id)
        self.dashboard = CloudwatchDashboard(
            self, "dashboard", dashboard_name=name,
            dashboard_body=dashboard_body(watched, region=region, workspace=workspace,
                                          alarm_arns=[a.arn for a in alarms], alert_topic=alert_topic),
        )

"""Alarms generated from what the stacks register (`Monitored`): one rule per kind of resource.

Nothing here names a particular function, queue, state machine, API or table: add one to a
stack's registry and its alarms (and dashboard widgets) appear. Every alarm notifies the alert
topic when it fires *and* when it recovers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from cdktf_cdktf_provider_aws.cloudwatch_log_metric_filter import (
    CloudwatchLogMetricFilter,
    CloudwatchLogMetricFilterMetricTransformation,
)
from cdktf_cdktf_provider_aws.cloudwatch_metric_alarm import (
    CloudwatchMetricAlarm,
    CloudwatchMetricAlarmMetricQuery,
    CloudwatchMetricAlarmMetricQueryMetric,
)
from constructs import Construct

from stacks.naming import Namer, Service
from stacks.observability.registry import Watched, WatchedApi, WatchedFunction, WatchedQueue, WatchedStateMachine, WatchedTable

# Thresholds, in one place so a reviewer reads the policy, not 40 alarms.
ERROR_RATE_PERCENT = 5  # a function's errors / invocations
ERROR_RATE_WINDOW = (3, 5)  # M of N one-minute datapoints
DURATION_NEAR_TIMEOUT = 0.8  # Maximum duration above 80 % of the configured timeout
WORK_QUEUE_MAX_AGE_S = 300  # oldest message waiting longer than this means consumers fall behind
API_5XX_RATE = 0.01  # Average of 5XXError (0/1 per request) = fraction of requests
API_4XX_RATE = 0.10
API_P99_LATENCY_MS = 3000
SLA_SECONDS = 15 * 60  # a file must be terminal 15 minutes after upload
# The SLA metric contract (published by the pipeline, see stacks/observability/stack.py).
SLA_NAMESPACE = "txnpipe"
SLA_METRIC = "FilesOverdue"
ANOMALY_METRIC = "AnomaliesDetected"
LOG_NAMESPACE = "txnpipe/Logs"
ERROR_LINE_PATTERN = "?ERROR ?CRITICAL"  # plain runtime lines and Powertools JSON `"level":"ERROR"`
SFN_FAILURE_METRICS = ("ExecutionsFailed", "ExecutionsTimedOut", "ExecutionThrottled", "ExecutionsAborted")


class PipelineAlarms(Construct):
    """Creates every alarm and metric filter for `watched`; `self.alarms` lists them for the dashboard."""

    def __init__(
        self, scope: Construct, id: str, *, watched: Watched, topic_arn: str, namer: Namer, workspace: str,
    ) -> None:
        super().__init__(scope, id)
        self.namer = namer
        self.workspace = workspace
        self.actions = [topic_arn]
        self.alarms: list[CloudwatchMetricAlarm] = []
        for fn in watched.functions:
            self._function(fn)
        for queue in watched.queues:
            self._queue(queue)
        for machine in watched.state_machines:
            self._state_machine(machine)
        for api in watched.apis:
            self._api(api)
        for table in watched.tables:
            self._table(table)
        self._sla()

    # -- one rule per kind ---------------------------------------------------------------
    def _function(self, fn: WatchedFunction) -> None:
        dims = {"FunctionName": fn.name}
        self._alarm(
            f"fn-{fn.short}-error-rate",
            f"{fn.name}: more than {ERROR_RATE_PERCENT}% of invocations failed in "
            f"{ERROR_RATE_WINDOW[0]} of {ERROR_RATE_WINDOW[1]} minutes",
            threshold=ERROR_RATE_PERCENT, window=ERROR_RATE_WINDOW,
            queries=[
                _query("invocations", "AWS/Lambda", "Invocations", dims, "Sum"),
                _query("errors", "AWS/Lambda", "Errors", dims, "Sum"),
                _expression("rate", "IF(invocations > 0, 100 * errors / invocations, 0)", "Error rate (%)"),
            ],
        )
        self._alarm(
            f"fn-{fn.short}-throttles", f"{fn.name}: invocations throttled (concurrency limit reached)",
            namespace="AWS/Lambda", metric="Throttles", dims=dims, stat="Sum", threshold=0, window=(2, 5),
        )
        self._alarm(
            f"fn-{fn.short}-duration", f"{fn.name}: slowest invocation above {DURATION_NEAR_TIMEOUT:.0%} of its "
            f"{fn.timeout_s}s timeout",
            namespace="AWS/Lambda", metric="Duration", dims=dims, stat="Maximum",
            threshold=int(fn.timeout_s * 1000 * DURATION_NEAR_TIMEOUT), window=(3, 5),
        )
        CloudwatchLogMetricFilter(
            self, f"fn-{fn.short}-error-lines", name=f"{fn.name}-error-lines", log_group_name=fn.log_group,
            pattern=ERROR_LINE_PATTERN,
            metric_transformation=CloudwatchLogMetricFilterMetricTransformation(
                name=error_lines_metric(fn.name), namespace=LOG_NAMESPACE, value="1", default_value="0",
                unit="Count",
            ),
        )

    def _queue(self, queue: WatchedQueue) -> None:
        dims = {"QueueName": queue.name}
        if queue.dlq:
            self._alarm(
                f"dlq-{queue.short}", f"{queue.name}: a message reached the dead-letter queue",
                namespace="AWS/SQS", metric="ApproximateNumberOfMessagesVisible", dims=dims, stat="Maximum",
                threshold=0, window=(1, 1),
            )
        else:
            self._alarm(
                f"queue-{queue.short}-age", f"{queue.name}: oldest message waiting > {WORK_QUEUE_MAX_AGE_S}s",
                namespace="AWS/SQS", metric="ApproximateAgeOfOldestMessage", dims=dims, stat="Maximum",
                threshold=WORK_QUEUE_MAX_AGE_S, window=(3, 3),
            )

    def _state_machine(self, machine: WatchedStateMachine) -> None:
        dims = {"StateMachineArn": machine.arn}
        for metric in SFN_FAILURE_METRICS:
            self._alarm(
                f"sfn-{machine.short}-{metric.lower()}", f"{machine.name}: {metric}",
                namespace="AWS/States", metric=metric, dims=dims, stat="Sum", threshold=0, window=(1, 1),
            )
        # Complements the SLA metric: an execution that finishes late is visible here too.
        self._alarm(
            f"sfn-{machine.short}-sla-duration", f"{machine.name}: an execution took longer than the "
            f"{SLA_SECONDS // 60}-minute SLA",
            namespace="AWS/States", metric="ExecutionTime", dims=dims, stat="Maximum",
            threshold=SLA_SECONDS * 1000, window=(1, 1),
        )

    def _api(self, api: WatchedApi) -> None:
        dims = {"ApiName": api.name, "Stage": api.stage}
        for metric, threshold in (("5XXError", API_5XX_RATE), ("4XXError", API_4XX_RATE)):
            self._alarm(
                f"api-{api.short}-{metric.lower()}", f"{api.name}/{api.stage}: {metric} rate above {threshold:.0%}",
                namespace="AWS/ApiGateway", metric=metric, dims=dims, stat="Average", threshold=threshold,
                window=(3, 5),
            )
        self._alarm(
            f"api-{api.short}-p99-latency", f"{api.name}/{api.stage}: p99 latency above {API_P99_LATENCY_MS} ms",
            namespace="AWS/ApiGateway", metric="Latency", dims=dims, stat="p99", threshold=API_P99_LATENCY_MS,
            window=(3, 5),
        )

    def _table(self, table: WatchedTable) -> None:
        dims = {"TableName": table.name}
        self._alarm(
            f"table-{table.short}-throttles", f"{table.name}: DynamoDB throttled reads or writes",
            threshold=0, window=(2, 5),
            queries=[
                _query("reads", "AWS/DynamoDB", "ReadThrottleEvents", dims, "Sum"),
                _query("writes", "AWS/DynamoDB", "WriteThrottleEvents", dims, "Sum"),
                _expression("throttles", "reads + writes", "Throttle events"),
            ],
        )

    def _sla(self) -> None:
        # Missing data *breaches*: if nobody measures the SLA, nobody knows it is met.
        self._alarm(
            "sla-files-overdue", f"A file is not terminal {SLA_SECONDS // 60} minutes after upload "
            f"({SLA_NAMESPACE}/{SLA_METRIC}), or the SLA check stopped reporting",
            namespace=SLA_NAMESPACE, metric=SLA_METRIC, dims={"Workspace": self.workspace}, stat="Maximum",
            threshold=0, window=(1, 1), period=300, missing="breaching",
        )

    # -- the one place an alarm is made ---------------------------------------------------
    def _alarm(
        self, id: str, description: str, *, threshold: float, window: tuple[int, int],
        namespace: str | None = None, metric: str | None = None, dims: Mapping[str, str] | None = None,
        stat: str | None = None, queries: Sequence[CloudwatchMetricAlarmMetricQuery] | None = None,
        period: int = 60, missing: str = "notBreaching",
    ) -> CloudwatchMetricAlarm:
        datapoints, periods = window
        percentile = stat is not None and stat.startswith("p")
        alarm = CloudwatchMetricAlarm(
            self, id, alarm_name=self.namer.name(id, Service.GENERIC), alarm_description=description,
            comparison_operator="GreaterThanThreshold", threshold=threshold,
            evaluation_periods=periods, datapoints_to_alarm=datapoints, treat_missing_data=missing,
            namespace=namespace, metric_name=metric, dimensions=dict(dims) if dims else None,
            statistic=None if queries or percentile else stat, extended_statistic=stat if percentile else None,
            period=None if queries else period, metric_query=list(queries) if queries else None,
            alarm_actions=self.actions, ok_actions=self.actions,
        )
        self.alarms.append(alarm)
        return alarm


def error_lines_metric(function_name: str) -> str:
    """Metric (namespace `LOG_NAMESPACE`) counting a function's ERROR log lines."""
    return f"ErrorLines-{function_name}"


def _query(id: str, namespace: str, metric: str, dims: Mapping[str, str], stat: str) -> CloudwatchMetricAlarmMetricQuery:
    return CloudwatchMetricAlarmMetricQuery(
        id=id, return_data=False,
        metric=CloudwatchMetricAlarmMetricQueryMetric(
            namespace=namespace, metric_name=metric, dimensions=dict(dims), stat=stat, period=60,
        ),
    )


def _expression(id: str, expression: str, label: str) -> CloudwatchMetricAlarmMetricQuery:
    return CloudwatchMetricAlarmMetricQuery(id=id, expression=expression, label=label, return_data=True)

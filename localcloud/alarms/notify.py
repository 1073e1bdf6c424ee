"""The SNS notification CloudWatch publishes when an alarm changes state (pure).

Followed: CloudWatch User Guide, "Using Amazon CloudWatch alarms" / "Alarm events and
EventBridge" (the SNS message body of an alarm action): a JSON object with AlarmName,
AlarmDescription, AWSAccountId, AlarmConfigurationUpdatedTimestamp, NewStateValue,
NewStateReason, StateChangeTime, Region (the region's *name*, "US East (N. Virginia)"), AlarmArn,
OldStateValue, OKActions, AlarmActions, InsufficientDataActions and Trigger (the metric, or the
metric math queries as `Metrics`, with period, evaluation periods, operator and threshold). The
subject is `ALARM: "<alarm name>" in <region name>` (`OK: ...`, `INSUFFICIENT_DATA: ...`),
cut to SNS's 100 characters.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from typing import Any

SUBJECT_LIMIT = 100


@cache
def region_name(region: str) -> str:
    """AWS's name of `region` (botocore's endpoint data), or the code when unknown."""
    import botocore.session

    for partition in botocore.session.get_session().get_data("endpoints")["partitions"]:
        if region in partition["regions"]:
            return str(partition["regions"][region].get("description", region))
    return region


def timestamp(moment: datetime) -> str:
    """CloudWatch's notification time format: 2026-12-02T06:01:10.123+0000."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{aware.microsecond // 1000:03d}+0000"


@dataclass(frozen=True)
class Change:
    """One state change of one alarm."""

    old_state: str
    new_state: str
    reason: str
    changed_at: datetime


def subject(alarm_name: str, state: str, region: str) -> str:
    return f'{state}: "{alarm_name}" in {region_name(region)}'[:SUBJECT_LIMIT]


def _dimensions(dimensions: Any) -> list[dict[str, str]]:
    return [{"value": str(d.value), "name": str(d.name)} for d in dimensions or []]


def _query(query: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"Id": query.id, "ReturnData": query.return_data not in (False, "false")}
    if query.expression:
        out.update(Expression=query.expression, Label=query.label)
    if query.metric_stat is not None:
        stat = query.metric_stat
        out["MetricStat"] = {"Metric": {"Dimensions": _dimensions(stat.metric.dimensions),
                                        "MetricName": stat.metric.metric_name, "Namespace": stat.metric.namespace},
                             "Period": int(stat.period), "Stat": stat.stat}
    return out


def trigger(alarm: Any, period: int) -> dict[str, Any]:
    """The notification's Trigger object."""
    common = {"Period": period, "EvaluationPeriods": alarm.evaluation_periods,
              "DatapointsToAlarm": alarm.datapoints_to_alarm or alarm.evaluation_periods,
              "ComparisonOperator": alarm.comparison_operator, "Threshold": float(alarm.threshold),
              "TreatMissingData": alarm.treat_missing_data or "missing",
              "EvaluateLowSampleCountPercentile": alarm.evaluate_low_sample_count_percentile or ""}
    if alarm.metric_data_queries:
        return {"Metrics": [_query(q) for q in alarm.metric_data_queries], **common}
    statistic = ({"StatisticType": "ExtendedStatistic", "ExtendedStatistic": alarm.extended_statistic}
                 if alarm.extended_statistic else {"StatisticType": "Statistic", "Statistic": str(alarm.statistic).upper()})
    return {"MetricName": alarm.metric_name, "Namespace": alarm.namespace, **statistic, "Unit": alarm.unit,
            "Dimensions": _dimensions(alarm.dimensions), **common}


def message(alarm: Any, account: str, change: Change, period: int) -> str:
    """The notification body (JSON text) for `change` of `alarm`."""
    return json.dumps({
        "AlarmName": alarm.name, "AlarmDescription": alarm.description, "AWSAccountId": account,
        "AlarmConfigurationUpdatedTimestamp": timestamp(alarm.configuration_updated_timestamp),
        "NewStateValue": change.new_state, "NewStateReason": change.reason,
        "StateChangeTime": timestamp(change.changed_at), "Region": region_name(alarm.region_name),
        "AlarmArn": alarm.alarm_arn, "OldStateValue": change.old_state, "OKActions": list(alarm.ok_actions),
        "AlarmActions": list(alarm.alarm_actions), "InsufficientDataActions": list(alarm.insufficient_data_actions),
        "Trigger": trigger(alarm, period),
    })

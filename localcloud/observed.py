"""What a run showed of the pipeline's monitoring: schedules that fired, alarms that changed state, pages sent.

Read back through the AWS APIs a person would use (Scheduler, CloudWatch `GetMetricStatistics` and
`DescribeAlarmHistory`), so the demo reports what EventBridge Scheduler and the alarm evaluator did
on their own, and never fires or sets anything by hand.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3

FIRST_EVALUATION = ("INSUFFICIENT_DATA", "OK")  # every new alarm's first state change when all is well


@dataclass(frozen=True)
class ScheduledRun:
    """A schedule and how often its Lambda target ran since the run started."""

    schedule: str
    target: str
    invocations: int


@dataclass(frozen=True)
class AlarmChange:
    """One StateUpdate of an alarm's history."""

    at: datetime
    alarm: str
    old: str
    new: str


def _invocations(function: str, since: datetime) -> int:
    points = boto3.client("cloudwatch").get_metric_statistics(
        Namespace="AWS/Lambda", MetricName="Invocations", Dimensions=[{"Name": "FunctionName", "Value": function}],
        StartTime=since - timedelta(minutes=1), EndTime=datetime.now(UTC) + timedelta(minutes=1), Period=60,
        Statistics=["Sum"])["Datapoints"]
    return int(sum(p["Sum"] for p in points))


def scheduled_runs(since: datetime, name_prefix: str = "txnpipe-") -> list[ScheduledRun]:
    """Each of our schedules with a Lambda target, and its target's invocations since `since`."""
    scheduler, runs = boto3.client("scheduler"), []
    for summary in scheduler.list_schedules()["Schedules"]:
        if summary["Name"].startswith(name_prefix):
            target = scheduler.get_schedule(Name=summary["Name"], GroupName=summary.get("GroupName", "default"))["Target"]
            function = target["Arn"].rsplit(":", 1)[-1] if ":lambda:" in target["Arn"] else target["Arn"]
            runs.append(ScheduledRun(summary["Name"], function, _invocations(function, since)))
    return sorted(runs, key=lambda r: r.schedule)


def wait_for_scheduled_runs(since: datetime, timeout_s: float = 90) -> list[ScheduledRun]:
    """`scheduled_runs`, once every schedule's target has run at least once (or at the timeout)."""
    deadline = time.time() + timeout_s
    while True:
        runs = scheduled_runs(since)
        if all(r.invocations for r in runs) or time.time() >= deadline:
            return runs
        time.sleep(1)


def alarm_changes(since: datetime, name_prefix: str = "txnpipe-") -> list[AlarmChange]:
    """Every state change of our alarms since `since`, oldest first."""
    cloudwatch, changes = boto3.client("cloudwatch"), []
    for page in cloudwatch.get_paginator("describe_alarm_history").paginate(
            HistoryItemType="StateUpdate", StartDate=since, EndDate=datetime.now(UTC) + timedelta(minutes=1)):
        for item in page["AlarmHistoryItems"]:
            if item["AlarmName"].startswith(name_prefix):
                data = json.loads(item.get("HistoryData") or "{}")
                changes.append(AlarmChange(item["Timestamp"], item["AlarmName"],
                                           str(data.get("oldState", {}).get("stateValue", "?")),
                                           str(data.get("newState", {}).get("stateValue", "?"))))
    return sorted(changes, key=lambda c: c.at)


def notable(changes: list[AlarmChange]) -> tuple[list[AlarmChange], int]:
    """The changes worth a line each, and how many were first evaluations to OK (counted, not listed)."""
    first = [c for c in changes if (c.old, c.new) == FIRST_EVALUATION]
    return [c for c in changes if (c.old, c.new) != FIRST_EVALUATION], len(first)


def page_kinds(messages: list[dict[str, Any]]) -> Counter[str]:
    """Alarm notifications by new state (`ALARM`, `OK`, ...); the pipeline's own alerts as `pipeline alert`."""
    return Counter(str(m["NewStateValue"]) if "NewStateValue" in m and "AlarmName" in m else "pipeline alert"
                   for m in messages)

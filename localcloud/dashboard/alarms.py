"""An alarm status widget's rows: DescribeAlarms for the alarms it lists.

AWS ("Dashboard Body Structure and Syntax", alarm status widget): `properties.alarms` is an array of
alarm ARNs (up to 100). DescribeAlarms takes alarm *names* (up to 100 a call), so the name is the
part of the ARN after `:alarm:`; metric and composite alarms are both asked for. A listed alarm the
service does not know is shown as such, not left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

BATCH = 100  # AWS: DescribeAlarms takes at most 100 AlarmNames


@dataclass(frozen=True)
class AlarmRow:
    """One alarm of the widget as DescribeAlarms reports it."""

    name: str
    state: str  # OK | ALARM | INSUFFICIENT_DATA, or NOT FOUND / ERROR
    reason: str
    updated: datetime | None


def alarm_name(arn: str) -> str:
    """`arn:aws:cloudwatch:<region>:<account>:alarm:<name>` → `<name>` (a plain name stays as it is)."""
    return arn.split(":alarm:", 1)[1] if ":alarm:" in arn else arn


def _describe(client: Any, names: list[str]) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    pages = client.get_paginator("describe_alarms").paginate(
        AlarmNames=names, AlarmTypes=["MetricAlarm", "CompositeAlarm"])
    for page in pages:
        for alarm in [*page.get("MetricAlarms", []), *page.get("CompositeAlarms", [])]:
            found[alarm["AlarmName"]] = alarm
    return found


def alarm_rows(client: Any, arns: tuple[str, ...]) -> list[AlarmRow]:
    """A row per listed alarm, in the widget's order."""
    names = [alarm_name(arn) for arn in arns]
    found: dict[str, dict[str, Any]] = {}
    try:
        for i in range(0, len(names), BATCH):
            found |= _describe(client, names[i:i + BATCH])
    except (ClientError, BotoCoreError) as error:
        return [AlarmRow(name, "ERROR", f"DescribeAlarms: {error}", None) for name in names]
    rows = []
    for name in names:
        alarm = found.get(name)
        if alarm is None:
            rows.append(AlarmRow(name, "NOT FOUND", "DescribeAlarms does not know this alarm", None))
        else:
            rows.append(AlarmRow(name, str(alarm.get("StateValue", "")), str(alarm.get("StateReason", "")),
                                 alarm.get("StateUpdatedTimestamp")))
    return rows

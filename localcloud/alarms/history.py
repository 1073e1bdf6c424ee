"""Addition: alarms start in INSUFFICIENT_DATA, keep their state across updates, and have a history.

CloudWatch User Guide, "Alarm states": a new alarm is INSUFFICIENT_DATA ("Unchecked: Initial alarm
creation") until it is evaluated; PutMetricAlarm on an existing alarm overwrites its configuration
and leaves its state. moto 5.2.5 starts alarms in OK, replaces the alarm (state and all) on every
PutMetricAlarm, and keeps no history API. Here:

* `Alarm.__init__` starts in INSUFFICIENT_DATA; `put_metric_alarm` carries the state and history of
  the alarm it replaces and adds a `ConfigurationUpdate` item ("Alarm "<name>" created/updated");
* `Alarm.update_state` (SetAlarmState and the evaluator) adds a `StateUpdate` item in AWS's shape
  (summary "Alarm updated from OK to ALARM", data with oldState / newState);
* `DescribeAlarmHistory` (AlarmName, HistoryItemType, StartDate, EndDate, ScanBy, MaxRecords)
  answers from those items; the evaluator adds the `Action` items.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

INITIAL_REASON = "Unchecked: Initial alarm creation"


def add_item(alarm: Any, item_type: str, summary: str, data: dict[str, Any]) -> None:
    """Append one history item to `alarm` (hold the monitoring lock)."""
    items = alarm.__dict__.setdefault("localcloud_history", [])
    items.append({"AlarmName": alarm.name, "AlarmType": "CompositeAlarm" if alarm.rule else "MetricAlarm",
                  "Timestamp": datetime.now(UTC), "HistoryItemType": item_type, "HistorySummary": summary,
                  "HistoryData": json.dumps(data)})


def _reason_data(text: str) -> Any:
    try:
        return json.loads(text) if text else {}
    except ValueError:
        return text


def _update_state(self: Any, reason: str, reason_data: str, state_value: str) -> None:
    old = {"stateValue": self.state_value, "stateReason": self.state_reason}
    _ORIGINAL["update_state"](self, reason, reason_data, state_value)
    new = {"stateValue": state_value, "stateReason": reason, "stateReasonData": _reason_data(reason_data)}
    add_item(self, "StateUpdate", f"Alarm updated from {old['stateValue']} to {state_value}",
             {"version": "1.0", "oldState": old, "newState": new})


def _init(self: Any, *args: Any, **kwargs: Any) -> None:
    _ORIGINAL["init"](self, *args, **kwargs)
    self.state_value = "INSUFFICIENT_DATA"
    self.state_reason = INITIAL_REASON


def _put_metric_alarm(self: Any, name: str, *args: Any, **kwargs: Any) -> Any:
    previous = self.alarms.get(name)
    alarm = _ORIGINAL["put_metric_alarm"](self, name, *args, **kwargs)
    if previous is not None and previous is not alarm:
        for attribute in ("state_value", "state_reason", "state_reason_data", "state_updated_timestamp",
                          "history", "localcloud_history"):
            if hasattr(previous, attribute):
                setattr(alarm, attribute, getattr(previous, attribute))
    add_item(alarm, "ConfigurationUpdate", f'Alarm "{name}" {"updated" if previous else "created"}',
             {"version": "1.0", "type": "Update" if previous else "Create"})
    return alarm


def _when(value: Any) -> datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return datetime.fromisoformat(str(value).replace("Z", "+00:00"))


def describe_alarm_history(self: Any) -> Any:
    """DescribeAlarmHistory from the items kept on each alarm."""
    from moto.core.responses import ActionResult

    name, kind = self._get_param("AlarmName"), self._get_param("HistoryItemType")
    start, end = _when(self._get_param("StartDate")), _when(self._get_param("EndDate"))
    alarms = self.cloudwatch_backend.alarms
    items = [i for a in list(alarms.values()) if name in (None, a.name) for i in a.__dict__.get("localcloud_history", [])]
    items = [i for i in items if (kind is None or i["HistoryItemType"] == kind)
             and (start is None or i["Timestamp"] >= start) and (end is None or i["Timestamp"] <= end)]
    items.sort(key=lambda i: i["Timestamp"], reverse=self._get_param("ScanBy") != "TimestampAscending")
    return ActionResult({"AlarmHistoryItems": items[: int(self._get_param("MaxRecords") or 100)]})


_ORIGINAL: dict[str, Any] = {}


def install() -> None:
    """Patch moto's Alarm and CloudWatch backend/response (idempotent)."""
    from moto.cloudwatch.models import Alarm, CloudWatchBackend
    from moto.cloudwatch.responses import CloudWatchResponse

    if _ORIGINAL:
        return
    _ORIGINAL.update(init=Alarm.__init__, update_state=Alarm.update_state,
                     put_metric_alarm=CloudWatchBackend.put_metric_alarm)
    Alarm.__init__ = _init  # type: ignore[method-assign]
    Alarm.update_state = _update_state  # type: ignore[method-assign]
    CloudWatchBackend.put_metric_alarm = _put_metric_alarm  # type: ignore[method-assign]
    CloudWatchResponse.describe_alarm_history = describe_alarm_history  # type: ignore[attr-defined]

"""One evaluation round of every CloudWatch metric alarm (`evaluate_all`), run by the patch
`localcloud.patches.cloudwatch_alarms` every `tick_seconds()`. Under the monitoring lock (moto's
CloudWatch backend is not thread-safe; `request_locks.held`):

* every metric alarm of every account and region is assessed (`localcloud.alarms.assess`) against
  the backend's `metric_data`, the datums' wall-clock timestamps converted with `clock.emulated()`;
* a changed state is written as SetAlarmState does (state, reason, reason data, timestamp, and a
  `StateUpdate` history item: `localcloud.alarms.history`).

Then, outside the lock (a subscriber may call back into CloudWatch), the new state's actions run
when ActionsEnabled (`localcloud.alarms.actions`), each recorded as an `Action` history item.
A setting the emulator cannot evaluate puts the alarm in INSUFFICIENT_DATA saying why, and is
logged once per alarm. Composite alarms are not evaluated.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from localcloud import clock
from localcloud.alarms import actions, history, notify, stats
from localcloud.alarms.assess import Assessment, Dimensions, assess
from localcloud.patches.request_locks import held

LOG = logging.getLogger(__name__)
MAX_LOOKBACK_S = 24 * 3600  # longest evaluation range CloudWatch allows for a metric alarm (1 day)
_WARNED: set[tuple[str, str]] = set()


@dataclass(frozen=True)
class Transition:
    """An alarm whose state changed, with what its actions need."""

    alarm: Any
    account: str
    change: notify.Change
    period: int
    actions: tuple[str, ...]


def epoch(moment: datetime) -> float:
    """Epoch seconds of `moment`; a naive datetime (moto's CloudWatch timestamps) is taken as UTC."""
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp()


def _datum(raw: Any) -> stats.Datum:
    return stats_datum(raw, clock.emulated(epoch(raw.timestamp)))


def stats_datum(raw: Any, time: float) -> stats.Datum:
    """moto's datum `raw` (a value, or a statistic set) as a `stats.Datum` at `time`."""
    if hasattr(raw, "value"):
        return stats.Datum.raw(time, float(raw.value))
    return stats.Datum.aggregated(time, float(raw.sum), float(raw.sample_count), float(raw.min), float(raw.max))


def index(metric_data: Sequence[Any], since: float) -> dict[tuple[str, str, Dimensions], list[tuple[Any, stats.Datum]]]:
    """The backend's datums from emulated time `since` on, by metric (namespace, name, dimension set)."""
    out: dict[tuple[str, str, Dimensions], list[tuple[Any, stats.Datum]]] = defaultdict(list)
    for raw in metric_data:
        datum = _datum(raw)
        if datum.time >= since:
            key = (raw.namespace, raw.name, frozenset((str(d.name), str(d.value)) for d in raw.dimensions))
            out[key].append((raw.unit, datum))
    return out


def _actions(alarm: Any, state: str) -> tuple[str, ...]:
    if not alarm.actions_enabled:
        return ()
    chosen = {"ALARM": alarm.alarm_actions, "OK": alarm.ok_actions}.get(state, alarm.insufficient_data_actions)
    return tuple(chosen or ())


def _warn_unsupported(alarm: Any, found: Assessment) -> None:
    if found.unsupported and (alarm.alarm_arn, found.reason) not in _WARNED:
        _WARNED.add((alarm.alarm_arn, found.reason))
        LOG.warning("alarm %s: %s", alarm.alarm_arn, found.reason)


def _assess_backend(backend: Any, now: float) -> list[Transition]:
    datums = index(list(backend.metric_data), now - MAX_LOOKBACK_S)

    def lookup(namespace: str, name: str, dims: Dimensions, unit: str | None) -> list[stats.Datum]:
        return [d for u, d in datums.get((namespace, name, dims), []) if unit is None or u == unit]

    transitions = []
    for alarm in list(backend.alarms.values()):
        if alarm.rule is not None:
            continue
        found = assess(alarm, lookup, now)
        _warn_unsupported(alarm, found)
        if found.state == alarm.state_value:
            continue
        old = alarm.state_value
        alarm.update_state(found.reason, found.reason_data, found.state)
        change = notify.Change(old, found.state, found.reason, alarm.state_updated_timestamp)
        transitions.append(Transition(alarm, backend.account_id, change, found.period, _actions(alarm, found.state)))
    return transitions


def _record(transition: Transition, result: actions.Result) -> None:
    data: dict[str, Any] = {"actionState": "Succeeded" if result.error is None else "Failed",
                            "stateUpdateTimestamp": int(epoch(transition.change.changed_at) * 1000),
                            "notificationResource": result.action}
    if result.error is None:
        summary = f"Successfully executed action {result.action}"
        data["publishedMessage"] = {"messageId": result.message_id}
    else:
        summary = f"Failed to execute action {result.action}. Received error: \"{result.error}\""
        data["error"] = result.error
    history.add_item(transition.alarm, "Action", summary, data)


def evaluate_all(now: float | None = None) -> list[Transition]:
    """Assess every metric alarm once (at emulated `now`), update states, run the new states' actions."""
    from moto.cloudwatch.models import cloudwatch_backends

    moment = clock.now() if now is None else now
    with held("monitoring"):
        backends = [b for regions in list(cloudwatch_backends.values()) for b in list(regions.values())]
        transitions = [t for backend in backends for t in _assess_backend(backend, moment)]
    for transition in transitions:
        for action in transition.actions:
            result = actions.publish(action, transition.alarm, transition.account, transition.change, transition.period)
            with held("monitoring"):
                _record(transition, result)
    return transitions

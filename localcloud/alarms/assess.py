"""One moto alarm against its metrics' datapoints: the state it should be in, with reason and data.

Pure apart from reading the alarm's attributes: `lookup(namespace, name, dimensions, unit)` gives
the datums of one metric (exact dimension set, as CloudWatch identifies a metric), timestamps
already on the emulated clock. The alarm looks at the last N complete periods before `now`
(CloudWatch evaluates complete periods; a datapoint counts once its period has ended). A setting
the emulator cannot evaluate (an unknown statistic, metric math function or operator) puts the
alarm in INSUFFICIENT_DATA with a reason naming it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from localcloud import clock
from localcloud.alarms import evaluate, metric_math, stats

Dimensions = frozenset[tuple[str, str]]
Lookup = Callable[[str, str, Dimensions, str | None], Sequence[stats.Datum]]
UNSUPPORTED = (metric_math.UnsupportedFunction, stats.UnsupportedStatistic, evaluate.UnsupportedAlarm,
               metric_math.ExpressionError, metric_math.Failed)


@dataclass(frozen=True)
class Assessment:
    """What the evaluator found for one alarm."""

    state: str
    reason: str
    reason_data: str
    period: int
    unsupported: bool = False


def dimensions(items: Any) -> Dimensions:
    return frozenset((str(d.name), str(d.value)) for d in items or [])


def _returned(queries: Sequence[Any]) -> Any:
    flagged = [q for q in queries if q.return_data in (True, "true", "True")]
    return flagged[0] if flagged else queries[-1]


def _math(alarm: Any, lookup: Lookup, starts: Sequence[float], period: int) -> list[float | None]:
    series: dict[str, metric_math.Value] = {}
    for query in alarm.metric_data_queries:
        if query.metric_stat is not None:
            stat, metric = query.metric_stat, query.metric_stat.metric
            datums = lookup(metric.namespace, metric.metric_name, dimensions(metric.dimensions), stat.unit)
            series[query.id] = stats.series(stat.stat, datums, starts, period)
    expressions = {q.id: q.expression for q in alarm.metric_data_queries if q.metric_stat is None}
    series = metric_math.evaluate_all(expressions, series, len(starts))
    returned = _returned(alarm.metric_data_queries)
    value = series[returned.id]
    return value if isinstance(value, list) else [value] * len(starts)


def alarm_period(alarm: Any) -> int:
    """The alarm's period: its own, or the metric math queries' (their MetricStat period)."""
    if alarm.period:
        return int(alarm.period)
    for query in alarm.metric_data_queries:
        if query.metric_stat is not None and query.metric_stat.period:
            return int(query.metric_stat.period)
        if query.period:
            return int(query.period)
    return 60


def rule(alarm: Any) -> evaluate.Rule:
    namespaces = {alarm.namespace} if not alarm.metric_data_queries else {
        q.metric_stat.metric.namespace for q in alarm.metric_data_queries if q.metric_stat is not None}
    treatment = "ignore" if namespaces == {"AWS/DynamoDB"} else (alarm.treat_missing_data or "missing")
    return evaluate.Rule(threshold=float(alarm.threshold), comparison=alarm.comparison_operator,
                         evaluation_periods=int(alarm.evaluation_periods),
                         datapoints_to_alarm=int(alarm.datapoints_to_alarm or alarm.evaluation_periods),
                         treat_missing=treatment)


def _iso(emulated_time: float) -> str:
    moment = datetime.fromtimestamp(clock.real(emulated_time), UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}+0000"


def _label(emulated_time: float) -> str:
    return datetime.fromtimestamp(clock.real(emulated_time), UTC).strftime("%d/%m/%y %H:%M:%S")


def _reason_data(alarm: Any, points: Sequence[float | None], starts: Sequence[float], period: int,
                 now: float) -> str:
    data: dict[str, Any] = {"version": "1.0", "queryDate": _iso(now), "startDate": _iso(starts[0])}
    if not alarm.metric_data_queries:
        data["statistic" if alarm.statistic else "extendedStatistic"] = alarm.statistic or alarm.extended_statistic
        data["unit"] = alarm.unit
    data.update(period=period, recentDatapoints=[p for p in points if p is not None],
                threshold=float(alarm.threshold),
                evaluatedDatapoints=[{"timestamp": _iso(s), "value": p}
                                     for s, p in reversed(list(zip(starts, points, strict=True))) if p is not None])
    return json.dumps({k: v for k, v in data.items() if v is not None})


def assess(alarm: Any, lookup: Lookup, now: float) -> Assessment:
    """The state `alarm` should be in at emulated time `now`."""
    period = alarm_period(alarm)
    try:
        checked = rule(alarm)
        end = stats.period_start(now, period)
        starts = [end - (checked.evaluation_periods - i) * period for i in range(checked.evaluation_periods)]
        if alarm.metric_data_queries:
            points = _math(alarm, lookup, starts, period)
        else:
            datums = lookup(alarm.namespace, alarm.metric_name, dimensions(alarm.dimensions), alarm.unit)
            points = stats.series(alarm.extended_statistic or alarm.statistic, datums, starts, period)
    except UNSUPPORTED as error:
        return Assessment(evaluate.INSUFFICIENT, f"Unsupported by the local emulator: {error}", "{}", period, True)
    state = evaluate.decide(checked, points, alarm.state_value)
    text = evaluate.reason(checked, points, [_label(s) for s in starts], state, alarm.state_value)
    return Assessment(state, text, _reason_data(alarm, points, starts, period, now), period)

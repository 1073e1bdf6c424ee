"""Addition: CloudWatch `GetMetricData` computes every statistic (pNN too) and evaluates metric math, as AWS does.

AWS (CloudWatch API Reference: GetMetricData, MetricDataQuery, MetricStat, MetricDataResult; User
Guide: "Metric math syntax and functions"):

* data from StartTime (inclusive) to EndTime (exclusive). StartTime is rounded down: to the minute
  when less than 15 days ago, to 5 minutes between 15 and 63 days, to the hour beyond; with a
  Period of 5, 10, 20 or 30 seconds (or 1) to that division of a minute. Periods follow each other
  from the rounded StartTime; a period without data has no datapoint;
* a `MetricStat` query: its `Stat` (Sum, Average, Minimum, Maximum, SampleCount, pNN) of the metric
  with exactly these dimensions (and `Unit`, when given) per `Period`;
* an `Expression` query uses other queries' ids and other expressions' ids; `ReturnData: false`
  queries are computed for the expressions and not returned;
* datapoints newest first (`ScanBy` TimestampDescending, the default) or oldest first
  (TimestampAscending); `Label` as given; `StatusCode` Complete;
* input that fails the constraints answers the common error `ValidationError` (400), e.g. an
  expression CloudWatch cannot evaluate.

moto 5.2.5 computed no percentile (no value at all for `p99`), evaluated only an expression that is
a bare id (anything else: an empty series), and counted periods from the unrounded StartTime.

Here MetricStat queries are computed with `localcloud.alarms.stats`, selecting datums with the exact
dimension set (`cloudwatch_statistics.key`), and expressions with `localcloud.alarms.metric_math`
(arithmetic, comparisons, `IF`, `FILL`, `ABS`/`CEIL`/`FLOOR`). An expression with a function the
emulator does not evaluate, a syntax error or an unknown id, and a statistic the emulator does not
compute (trimmed means, ...), answer `ValidationError` naming the query and what is wrong: never an
empty series. Not emulated: a request with a `SEARCH(...)` or Metrics Insights (`SELECT`) expression
is left to moto as before (SEARCH gives an empty series; the dashboard renderer resolves SEARCH
itself with ListMetrics); pagination (every datapoint comes in one page, AWS pages at
MaxDatapoints); an expression over queries of different periods is evaluated on the union of their
period starts. Runs inside the GetMetricData request, which already holds the monitoring lock.
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from localcloud.alarms import metric_math, stats
from localcloud.alarms.evaluator import epoch, stats_datum
from localcloud.patches.cloudwatch_statistics import MetricKey, datum_key, key

_MOTO_LEFT = re.compile(r"^\s*SELECT\b|\bSEARCH\s*\(", re.IGNORECASE)
_DAY = 86400
Index = dict[MetricKey, list[tuple[Any, stats.Datum]]]
Grid = dict[float, float | None]  # period start (epoch s) -> value (None: no datapoint)


def period_starts(start: float, end: float, period: int, now: float) -> list[float]:
    """The starts of the periods of a query: from StartTime rounded down as CloudWatch rounds it, before `end`."""
    age = now - start
    unit = 3600 if age > 63 * _DAY else 300 if age > 15 * _DAY else period if period < 60 else 60
    first = stats.period_start(start, unit)
    return [first + n * period for n in range(math.ceil((end - first) / period))]


def _validation(message: str) -> Exception:
    from moto.cloudwatch.exceptions import ValidationError

    return ValidationError(message)


def _index(backend: Any, since: float, until: float) -> Index:
    """The backend's datums in [since, until), by metric."""
    out: Index = {}
    for raw in backend.get_all_metrics():
        moment = epoch(raw.timestamp)
        if since <= moment < until:
            out.setdefault(datum_key(raw), []).append((raw.unit, stats_datum(raw, moment)))
    return out


def _metric(query: dict[str, Any], index: Index, start: float, end: float, now: float) -> Grid:
    stat = query["MetricStat"]
    metric, period, unit = stat["Metric"], int(stat["Period"]), stat.get("Unit")
    starts = period_starts(start, end, period, now)
    datums = [d for u, d in index.get(key(metric["Namespace"], metric["MetricName"], metric.get("Dimensions")), [])
              if unit is None or u == unit]
    try:
        return dict(zip(starts, stats.series(stat["Stat"], datums, starts, period), strict=True))
    except stats.UnsupportedStatistic as error:
        raise _validation(f"Error in query {query['Id']}: {error}") from error


def _expressions(queries: list[dict[str, Any]], grids: dict[str, Grid]) -> dict[str, Grid]:
    starts = sorted({s for grid in grids.values() for s in grid})
    aligned: dict[str, metric_math.Value] = {i: [g.get(s) for s in starts] for i, g in grids.items()}
    texts = {q["Id"]: str(q["Expression"]) for q in queries if "Expression" in q}
    try:
        values = metric_math.evaluate_all(texts, aligned, len(starts))
    except metric_math.Failed as failed:
        raise _validation(f"Error in expression {failed.query_id}: {failed.cause}") from failed
    return {i: dict(zip(starts, _points(values[i], len(starts)), strict=True)) for i in texts}


def _points(value: metric_math.Value, size: int) -> list[float | None]:
    return value if isinstance(value, list) else [value] * size


def _result(query: dict[str, Any], grid: Grid, descending: bool) -> dict[str, Any]:
    points = sorted(((s, v) for s, v in grid.items() if v is not None), reverse=descending)
    stat = query.get("MetricStat")
    default = f"{stat['Metric']['MetricName']} {stat['Stat']}" if stat else query["Id"]  # moto's default labels
    return {"id": query["Id"], "label": query.get("Label") or default,
            "timestamps": [datetime.fromtimestamp(s, UTC).replace(tzinfo=None) for s, _ in points],
            "values": [v for _, v in points], "status_code": "Complete"}


def metric_data(backend: Any, queries: list[dict[str, Any]], start_time: datetime, end_time: datetime,
                scan_by: str) -> list[dict[str, Any]]:
    """GetMetricData's results for `queries` (MetricStat and metric math) between the naive-UTC times."""
    start, end, now = epoch(start_time.replace(microsecond=0)), epoch(end_time.replace(microsecond=0)), time.time()
    if start >= end:
        raise _validation("The parameter EndTime must be greater than StartTime." if start > end
                          else "The parameter StartTime must not equal parameter EndTime.")
    ids = [q["Id"] for q in queries]
    if len(set(ids)) != len(ids):
        raise _validation(f"The Id of each MetricDataQuery must be unique: {sorted(i for i in set(ids) if ids.count(i) > 1)}")
    index = _index(backend, stats.period_start(start, 3600), end)  # the hour: no rounding goes further back
    grids = {q["Id"]: _metric(q, index, start, end, now) for q in queries if "MetricStat" in q}
    grids.update(_expressions(queries, grids))
    returned = [q for q in queries if q.get("ReturnData", True) not in (False, "false", "False")]
    return [_result(q, grids[q["Id"]], scan_by != "TimestampAscending") for q in returned]


def _patched(original: Callable[..., list[dict[str, Any]]]) -> Callable[..., list[dict[str, Any]]]:
    def get_metric_data(self: Any, queries: list[dict[str, Any]], start_time: datetime, end_time: datetime,
                        scan_by: str = "TimestampAscending") -> list[dict[str, Any]]:
        if any(_MOTO_LEFT.search(str(q.get("Expression", ""))) for q in queries):
            return original(self, queries, start_time, end_time, scan_by)
        return metric_data(self, queries, start_time, end_time, scan_by)

    get_metric_data._localcloud_math = True  # type: ignore[attr-defined]
    return get_metric_data


def install() -> None:
    """Replace moto's GetMetricData computation (after `cloudwatch_statistics.install`, which SEARCH still uses)."""
    from moto.cloudwatch.models import CloudWatchBackend

    if getattr(CloudWatchBackend.get_metric_data, "_localcloud_math", False):
        return
    CloudWatchBackend.get_metric_data = _patched(CloudWatchBackend.get_metric_data)  # type: ignore[method-assign]

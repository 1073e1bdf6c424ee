"""A metric widget's data from GetMetricData; an alarm widget's rows from DescribeAlarms.

One GetMetricData call per widget (AWS: up to 500 queries a call): a MetricStat query per metric
line (the line's `stat`/`period`, else the widget's), an `Expression` query per math line, and
`ReturnData: false` for lines with `visible: false` (AWS computes them for expressions, returns
nothing). SEARCH lines are first resolved into metric lines (`search.resolve`). When the service
refuses the expressions, the metrics are fetched without them and each expression shows the error.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from localcloud.dashboard.metric_array import describe
from localcloud.dashboard.model import ExpressionLine, Line, MetricLine, MetricWidget, SearchLine
from localcloud.dashboard.search import resolve

CloudWatchClient = Any  # a boto3 `cloudwatch` client


@dataclass(frozen=True)
class Series:
    """One visible line of a chart: its points, or why it has none (`message`)."""

    label: str
    y_axis: str
    color: str | None
    points: tuple[tuple[datetime, float], ...] = ()
    message: str = ""  # the service's error or status message; "" when the data is complete


@dataclass(frozen=True)
class _Query:
    id: str
    line: Line
    body: dict[str, Any]


def _lines(client: CloudWatchClient, widget: MetricWidget) -> tuple[list[Line], list[Series]]:
    """The widget's lines with SEARCH resolved; searches that found nothing (or failed) as empty series."""
    lines: list[Line] = []
    empty: list[Series] = []
    for n, line in enumerate(widget.lines):
        if not isinstance(line, SearchLine):
            lines.append(line)
            continue
        try:
            found = resolve(client, line, line.id or f"search{n}")
        except (ClientError, BotoCoreError) as error:
            empty.append(Series(describe(line), line.y_axis, line.color, message=f"ListMetrics: {error}"))
            continue
        lines += found
        if not found and line.visible:
            empty.append(Series(describe(line), line.y_axis, line.color, message="SEARCH found no metric"))
    return lines, empty


def _queries(lines: list[Line], widget: MetricWidget) -> list[_Query]:
    """GetMetricData queries; lines without an id get `m<n>` (AWS: ids start with a lowercase letter)."""
    taken = {line.id for line in lines if line.id}
    out: list[_Query] = []
    for n, line in enumerate(lines):
        query_id = line.id or _free_id(f"m{n}", taken)
        body: dict[str, Any] = {"Id": query_id, "ReturnData": line.visible, "Label": describe(line)}
        if isinstance(line, MetricLine):
            metric = {"Namespace": line.namespace, "MetricName": line.metric,
                      "Dimensions": [{"Name": k, "Value": v} for k, v in line.dimensions]}
            body["MetricStat"] = {"Metric": metric, "Period": line.period or widget.period, "Stat": line.stat or widget.stat}
        elif isinstance(line, ExpressionLine):
            body["Expression"] = line.expression  # AWS: an expression's period is its metrics' (Period is for SEARCH)
        out.append(_Query(query_id, line, body))
    return out


def _free_id(candidate: str, taken: set[str]) -> str:
    while candidate in taken:
        candidate += "_"
    taken.add(candidate)
    return candidate


def _call(client: CloudWatchClient, queries: list[_Query], start: datetime, end: datetime) -> dict[str, dict[str, Any]]:
    """GetMetricData results by query id, every page merged."""
    results: dict[str, dict[str, Any]] = {}
    kwargs: dict[str, Any] = {"MetricDataQueries": [q.body for q in queries], "StartTime": start, "EndTime": end,
                              "ScanBy": "TimestampAscending"}
    while True:
        page = client.get_metric_data(**kwargs)
        for result in page.get("MetricDataResults", []):
            merged = results.setdefault(result["Id"], {**result, "Timestamps": [], "Values": []})
            merged["Timestamps"] += result.get("Timestamps", [])
            merged["Values"] += result.get("Values", [])
        if not page.get("NextToken"):
            return results
        kwargs["NextToken"] = page["NextToken"]


def _series(query: _Query, result: dict[str, Any] | None, error: str = "") -> Series:
    line = query.line
    label = describe(line)
    if result is None:
        return Series(label, line.y_axis, line.color, message=error or "no result returned")
    points = tuple(sorted((t, float(v)) for t, v in zip(result["Timestamps"], result["Values"], strict=False)
                          if isinstance(v, int | float)))
    messages = [m.get("Value", "") for m in result.get("Messages", [])]
    status = result.get("StatusCode", "Complete")
    message = "; ".join([*messages, *([status] if status not in ("Complete", None) else [])])
    return Series(label, line.y_axis, line.color, points=points, message=message)


def widget_series(client: CloudWatchClient, widget: MetricWidget, start: datetime, end: datetime) -> list[Series]:
    """The visible series of `widget` between `start` and `end`, in the widget's order."""
    lines, empty = _lines(client, widget)
    queries = _queries(lines, widget)
    if not queries:
        return empty
    errors: dict[str, str] = {}
    try:
        results = _call(client, queries, start, end)
    except ClientError as error:
        metric_only = [q for q in queries if "MetricStat" in q.body]
        errors = {q.id: f"GetMetricData: {error}" for q in queries if "Expression" in q.body}
        try:
            results = _call(client, metric_only, start, end) if metric_only and errors else {}
        except ClientError as again:
            errors = {q.id: f"GetMetricData: {again}" for q in queries}
            results = {}
        if not errors:
            errors = {q.id: f"GetMetricData: {error}" for q in queries}
    visible = [_series(q, results.get(q.id), errors.get(q.id, "")) for q in queries if q.line.visible]
    return visible + empty

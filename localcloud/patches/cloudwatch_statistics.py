"""Addition: CloudWatch statistics of a metric are those of its exact dimension combination, as in AWS.

AWS (CloudWatch User Guide, "Metrics concepts", Dimensions): "CloudWatch treats each unique
combination of dimensions as a separate metric"; to retrieve statistics "you must specify the same
values for the namespace, metric name, and dimension parameters that were used when the metrics
were created", and "you can't retrieve statistics using combinations of dimensions that you did not
specially publish". moto 5.2.5 instead counted every datapoint having *at least* the queried
dimensions in GetMetricStatistics (and every datapoint at all for a query without dimensions), and
GetMetricData without dimensions took every datapoint of that name. Services publish one
datapoint under several dimension sets (Lambda: none, `FunctionName`, `FunctionName,Resource`), so
moto summed each invocation three times. Here both calls see only the datapoints whose namespace,
name and whole dimension set are a queried metric's. GetMetricData's MetricStat and metric math
queries are computed by `localcloud.patches.cloudwatch_metric_data` with `key`/`datum_key`; what it
leaves to moto (SEARCH, Metrics Insights) goes through the restriction here, and a request with an
expression that queries one metric both with and without dimensions is the one case left as moto had it.
(ListMetrics keeps its subset filter: that is AWS's semantics for ListMetrics.)
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

MetricKey = tuple[str, str, frozenset[tuple[str, str]]]
_ONLY: ContextVar[frozenset[MetricKey] | None] = ContextVar("only_metrics", default=None)


def key(namespace: str, name: str, dimensions: list[dict[str, str]] | None) -> MetricKey:
    """A metric's identity: namespace, name and the set of its dimensions."""
    return namespace, name, frozenset((d["Name"], d.get("Value", "")) for d in dimensions or [])


def datum_key(datum: Any) -> MetricKey:
    """The metric (`key`) a moto datum belongs to."""
    return datum.namespace, datum.name, frozenset((d.name, d.value) for d in datum.dimensions)


@contextmanager
def _only(metrics: frozenset[MetricKey]) -> Iterator[None]:
    token = _ONLY.set(metrics)
    try:
        yield
    finally:
        _ONLY.reset(token)


def _query_key(query: dict[str, Any]) -> MetricKey:
    metric = query["MetricStat"]["Metric"]
    return key(metric["Namespace"], metric["MetricName"], metric.get("Dimensions"))


def _patched_get_all_metrics(original: Callable[[Any], list[Any]]) -> Callable[[Any], list[Any]]:
    def get_all_metrics(self: Any) -> list[Any]:
        only = _ONLY.get()
        data = original(self)
        return data if only is None else [d for d in data if datum_key(d) in only]

    get_all_metrics._localcloud = True  # type: ignore[attr-defined]
    return get_all_metrics


def install() -> None:
    """Restrict GetMetricStatistics and GetMetricData to the exact dimension sets they query."""
    from moto.cloudwatch.models import CloudWatchBackend

    if getattr(CloudWatchBackend.get_all_metrics, "_localcloud", False):
        return
    CloudWatchBackend.get_all_metrics = _patched_get_all_metrics(  # type: ignore[method-assign, assignment]
        CloudWatchBackend.get_all_metrics)
    statistics, data = CloudWatchBackend.get_metric_statistics, CloudWatchBackend.get_metric_data

    def get_metric_statistics(self: Any, namespace: str, metric_name: str, start_time: Any, end_time: Any,
                              period: int, stats: list[str], dimensions: list[dict[str, str]],
                              unit: str | None = None) -> Any:
        with _only(frozenset({key(namespace, metric_name, dimensions)})):
            return statistics(self, namespace, metric_name, start_time, end_time, period, stats, dimensions, unit)

    def get_metric_data(self: Any, queries: list[dict[str, Any]], start_time: Any, end_time: Any,
                        scan_by: str = "TimestampAscending") -> list[dict[str, Any]]:
        if any("Expression" in q for q in queries):  # math needs every query in one call
            with _only(frozenset(_query_key(q) for q in queries if "MetricStat" in q)):
                return data(self, queries, start_time, end_time, scan_by)
        results: list[dict[str, Any]] = []
        for query in queries:
            with _only(frozenset({_query_key(query)})):
                results += data(self, [query], start_time, end_time, scan_by)
        return results

    CloudWatchBackend.get_metric_statistics = get_metric_statistics  # type: ignore[method-assign]
    CloudWatchBackend.get_metric_data = get_metric_data  # type: ignore[method-assign]

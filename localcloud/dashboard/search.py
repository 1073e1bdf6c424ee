"""SEARCH expressions of a metric widget, resolved client-side with ListMetrics.

AWS ("CloudWatch search expression syntax"): `SEARCH(' {Namespace, DimName, ...} SearchTerm', 'Statistic'
[, Period])`. The `{...}` metric schema names the namespace and, optionally, dimension names: with
dimension names, only metrics with exactly those dimensions match. Search terms are metric names,
dimension names or values, `Name="value"` exact matches (`MetricName="X"`), combined with OR / AND.

AWS evaluates SEARCH on the server inside GetMetricData, returning one time series per metric
found (up to 500). The emulator does not, so the renderer does the same thing in the client:
ListMetrics in the namespace (one call per `MetricName=` alternative), filtered by the schema's
dimensions and the other terms, then one MetricStat query per metric found. Supported here: the
schema, `MetricName="..."` alternatives joined by OR, `Dim="value"` exact terms and bare terms
(partial, case-insensitive match on a dimension value or the metric name); NOT and parentheses are
reported as not rendered. A schema with no dimension names matches metrics with any dimensions.
"""

from __future__ import annotations

import re
import shlex
from typing import Any

from localcloud.dashboard.model import MetricLine, SearchLine

MAX_SERIES = 500  # AWS: a search expression returns at most 500 time series
_SEARCH = re.compile(r"""\s*SEARCH\s*\(\s*'(?P<query>[^']*)'\s*,\s*'(?P<stat>[^']+)'\s*(?:,\s*(?P<period>\d+)\s*)?\)\s*$""")
_SCHEMA = re.compile(r"^\s*\{(?P<schema>[^}]*)\}")


class SearchError(ValueError):
    """A SEARCH expression this renderer cannot resolve (the widget shows why)."""


def parse_search(expression: str, **line: Any) -> SearchLine:
    """The parts of `SEARCH('{ns,dims} terms', 'stat', period)`."""
    match = _SEARCH.match(expression)
    if match is None:
        raise SearchError(f"not a SEARCH('{{namespace}} terms', 'stat'[, period]) expression: {expression}")
    query, schema = match["query"], _SCHEMA.match(match["query"])
    if schema is None:
        raise SearchError(f"SEARCH without a {{namespace}} schema is not resolved here: {expression}")
    namespace, *dimension_names = [part.strip().strip('"') for part in schema["schema"].split(",")]
    names, terms = _terms(query[schema.end():], expression)
    return SearchLine(expression=expression, namespace=namespace, metric_names=tuple(names),
                      dimension_names=tuple(dimension_names), terms=tuple(terms), stat=match["stat"],
                      search_period=int(match["period"]) if match["period"] else None, **line)


def _terms(text: str, expression: str) -> tuple[list[str], list[str]]:
    """The `MetricName=` alternatives and the other terms of a search query."""
    names: list[str] = []
    terms: list[str] = []
    for token in shlex.split(text, posix=True):
        if token in ("NOT", "(", ")") or token.startswith("(") or token.endswith(")"):
            raise SearchError(f"NOT and parentheses in SEARCH are not resolved here: {expression}")
        if token in ("OR", "AND"):
            continue
        if token.startswith("MetricName="):
            names.append(token.removeprefix("MetricName="))
        else:
            terms.append(token)
    return names, terms


def _matches(metric: dict[str, Any], line: SearchLine) -> bool:
    dims = {d["Name"]: d["Value"] for d in metric.get("Dimensions", [])}
    if line.dimension_names and set(dims) != set(line.dimension_names):
        return False
    for term in line.terms:
        name, eq, value = term.partition("=")
        if eq and name in dims:
            if dims[name] != value:
                return False
        elif not any(term.lower() in text.lower() for text in (metric["MetricName"], *dims.values())):
            return False
    return True


def _list(client: Any, namespace: str, metric_name: str | None) -> list[dict[str, Any]]:
    """Every metric of ListMetrics for `namespace` (and `metric_name`), all pages."""
    kwargs: dict[str, Any] = {"Namespace": namespace, **({"MetricName": metric_name} if metric_name else {})}
    found: list[dict[str, Any]] = []
    for page in client.get_paginator("list_metrics").paginate(**kwargs):
        found += page.get("Metrics", [])
    return found


def resolve(client: Any, line: SearchLine, id_prefix: str) -> list[MetricLine]:
    """One MetricStat line per metric the search finds (at most 500, as AWS), labelled like the console."""
    metrics = [m for name in (line.metric_names or (None,)) for m in _list(client, line.namespace, name)
               if _matches(m, line)]
    out: list[MetricLine] = []
    for n, metric in enumerate(sorted(metrics, key=_key)[:MAX_SERIES]):
        dims = tuple((d["Name"], d["Value"]) for d in metric.get("Dimensions", []))
        label = " ".join([*( [line.label] if line.label else []), metric["MetricName"], *(v for _, v in dims)])
        out.append(MetricLine(namespace=line.namespace, metric=metric["MetricName"], dimensions=dims,
                              stat=line.stat, id=f"{id_prefix}_{n}", label=label, visible=line.visible,
                              y_axis=line.y_axis, period=line.search_period or line.period, color=None))
    return out


def _key(metric: dict[str, Any]) -> tuple[str, tuple[tuple[str, str], ...]]:
    return metric["MetricName"], tuple(sorted((d["Name"], d["Value"]) for d in metric.get("Dimensions", [])))

"""Metric filters applied to ingested log events: each match publishes the filter's metricTransformation.

AWS (CloudWatch Logs User Guide, "Creating metrics from log events using filters" and the API
Reference, PutMetricFilter / MetricTransformation): for every log event the filter pattern matches,
`metricValue` is published to `metricNamespace`/`metricName` at the event's timestamp: a number, or
`$.field` taken from a JSON event (an event whose field is not a number publishes nothing);
`dimensions` map a dimension name to a `$.field` of the event (an event without it publishes
nothing); `unit` defaults to None. `defaultValue` is "the value reported to the metric filter during
a period when logs are ingested but no matching logs are found": the emulator publishes it once for
a PutLogEvents batch none of whose events match. Space-delimited `$field` selectors are not
implemented and are refused when the filter is put (`check_transformation`).
"""

from __future__ import annotations

import datetime
import functools
import re
from collections.abc import Mapping, Sequence
from typing import Any

from localcloud.metrics.filter_json import select
from localcloud.metrics.filter_pattern import Matcher, UnsupportedPattern, compile_pattern, parse_json_event
from localcloud.metrics.publish import Datum, from_epoch_ms

_SELECTOR = re.compile(r"^\$(?:\.[A-Za-z0-9_@-]+|\[\d+\])+$")


@functools.lru_cache(maxsize=256)
def compiled(pattern: str) -> Matcher:
    """`compile_pattern`, cached: the same patterns are applied to every batch."""
    return compile_pattern(pattern)


def _checked_value(text: str, what: str) -> None:
    if _SELECTOR.match(text):
        return
    try:
        float(text)
    except ValueError:
        raise UnsupportedPattern(f"{what} {text!r}: neither a number nor a $.field selector the emulator supports") from None


def check_transformation(transformation: Mapping[str, Any]) -> None:
    """Refuse a metricTransformation whose value or dimensions the emulator could not evaluate."""
    _checked_value(str(transformation.get("metricValue", "")), "metricValue")
    for name, field in (transformation.get("dimensions") or {}).items():
        if not _SELECTOR.match(str(field)):
            raise UnsupportedPattern(f"dimension {name!r} = {field!r}: only $.field selectors are supported")


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _datum(transformation: Mapping[str, Any], message: str, timestamp: datetime.datetime) -> Datum | None:
    text = str(transformation.get("metricValue", "1"))
    document = parse_json_event(message) if text.startswith("$") or transformation.get("dimensions") else None
    value = _number(select(document, text) if text.startswith("$") and document is not None else text)
    dimensions = {}
    for name, field in (transformation.get("dimensions") or {}).items():
        found = select(document, str(field)) if document is not None else None
        if not isinstance(found, (str, int, float)) or isinstance(found, bool):
            return None
        dimensions[str(name)] = str(found)
    if value is None:
        return None
    return Datum(str(transformation["metricName"]), value, str(transformation.get("unit") or "None"), dimensions, timestamp)


def apply(metric_filter: Mapping[str, Any], events: Sequence[Mapping[str, Any]]) -> list[tuple[str, Datum]]:
    """(namespace, datum) pairs one filter publishes for a batch of log events ({timestamp ms, message})."""
    matcher = compiled(str(metric_filter.get("filterPattern") or ""))
    published: list[tuple[str, Datum]] = []
    matched = [e for e in events if matcher.matches(str(e["message"]))]
    for transformation in metric_filter.get("metricTransformations") or []:
        namespace = str(transformation["metricNamespace"])
        for event in matched:
            datum = _datum(transformation, str(event["message"]), from_epoch_ms(float(event["timestamp"])))
            if datum is not None:
                published.append((namespace, datum))
        default = transformation.get("defaultValue")
        if not matched and events and default is not None:
            stamp = from_epoch_ms(float(events[-1]["timestamp"]))
            published.append((namespace, Datum(str(transformation["metricName"]), float(default),
                                               str(transformation.get("unit") or "None"), {}, stamp)))
    return published

"""Embedded metric format: a JSON log event that carries its own metrics, extracted as CloudWatch Logs does.

AWS (CloudWatch User Guide, "Specification: Embedded metric format"): the log event is one JSON
object whose `_aws` member holds `Timestamp` (epoch milliseconds) and `CloudWatchMetrics`, an array
of MetricDirectives `{Namespace, Dimensions: [[name, ...], ...], Metrics: [{Name, Unit?,
StorageResolution?}]}`. Every dimension named and every metric named must be a member of the root
(dimension values strings; metric values a number or an array of up to 100 numbers). Each metric is
published once per dimension set (dimension values from the root), stamped with `_aws.Timestamp`.
An event that breaks these rules yields no metric (AWS counts it in `AWS/Logs` EMFValidationErrors
and drops it; the emulator only drops it). `extract()` is pure; `invalid_reason()` says why not.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from localcloud.metrics.publish import Datum, from_epoch_ms

# CloudWatch StandardUnit values (CloudWatch API Reference, MetricDatum "Unit").
UNITS = frozenset((
    "Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes", "Megabytes", "Gigabytes", "Terabytes",
    "Bits", "Kilobits", "Megabits", "Gigabits", "Terabits", "Percent", "Count", "Bytes/Second",
    "Kilobytes/Second", "Megabytes/Second", "Gigabytes/Second", "Terabytes/Second", "Bits/Second",
    "Kilobits/Second", "Megabits/Second", "Gigabits/Second", "Terabits/Second", "Count/Second", "None",
))
MAX_DIMENSIONS = 30
MAX_METRICS = 100
MAX_VALUES = 100


class InvalidEmf(ValueError):
    """The event looks like EMF (it has `_aws`) but breaks the specification: it yields no metric."""


@dataclass(frozen=True)
class EmfMetric:
    """One extracted datapoint and its namespace."""

    namespace: str
    datum: Datum


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _value(root: dict[str, Any], name: str) -> float | list[float]:
    value = root.get(name)
    if isinstance(value, (int, float)) and _number(value):
        return float(value)
    if isinstance(value, list) and 0 < len(value) <= MAX_VALUES and all(_number(v) for v in value):
        return [float(v) for v in value]
    raise InvalidEmf(f"metric {name!r}: the root member must be a number or an array of 1-{MAX_VALUES} numbers")


def _dimension_sets(root: dict[str, Any], directive: dict[str, Any]) -> list[dict[str, str]]:
    sets = directive.get("Dimensions")
    if not isinstance(sets, list) or not all(isinstance(s, list) for s in sets):
        raise InvalidEmf("Dimensions must be an array of dimension sets (arrays of names)")
    resolved = []
    for names in sets or [[]]:
        if len(names) > MAX_DIMENSIONS:
            raise InvalidEmf(f"a dimension set has more than {MAX_DIMENSIONS} dimensions")
        if not all(isinstance(n, str) and isinstance(root.get(n), str) for n in names):
            raise InvalidEmf(f"dimension set {names!r}: every name must be a root member with a string value")
        resolved.append({n: root[n] for n in names})
    return resolved


def _directive(root: dict[str, Any], directive: Any, timestamp: Any) -> list[EmfMetric]:
    if not isinstance(directive, dict) or not isinstance(directive.get("Namespace"), str) or not directive["Namespace"]:
        raise InvalidEmf("a MetricDirective needs a Namespace string")
    metrics = directive.get("Metrics")
    if not isinstance(metrics, list) or len(metrics) > MAX_METRICS:
        raise InvalidEmf(f"Metrics must be an array of at most {MAX_METRICS} MetricDefinitions")
    dimension_sets = _dimension_sets(root, directive)
    extracted = []
    for definition in metrics:
        if not isinstance(definition, dict) or not isinstance(definition.get("Name"), str):
            raise InvalidEmf("a MetricDefinition needs a Name string")
        unit = definition.get("Unit", "None")
        if unit not in UNITS:
            raise InvalidEmf(f"metric {definition['Name']!r}: unit {unit!r} is not a CloudWatch unit")
        value = _value(root, definition["Name"])
        extracted += [EmfMetric(directive["Namespace"], Datum(definition["Name"], value, unit, dims, timestamp))
                      for dims in dimension_sets]
    return extracted


def parse(message: str) -> list[EmfMetric]:
    """The metrics of an EMF event; [] for an event that is not EMF; `InvalidEmf` when it is EMF but invalid."""
    if "_aws" not in message:  # most log lines: no JSON parse
        return []
    try:
        root = json.loads(message)
    except ValueError:
        return []
    if not isinstance(root, dict) or "_aws" not in root:
        return []
    meta = root["_aws"]
    if not isinstance(meta, dict) or not isinstance(meta.get("CloudWatchMetrics"), list):
        raise InvalidEmf("_aws must be an object with a CloudWatchMetrics array")
    if not _number(meta.get("Timestamp")):
        raise InvalidEmf("_aws.Timestamp must be a number (epoch milliseconds)")
    timestamp = from_epoch_ms(float(meta["Timestamp"]))
    return [m for directive in meta["CloudWatchMetrics"] for m in _directive(root, directive, timestamp)]


def extract(message: str) -> list[EmfMetric]:
    """The metrics of the event, [] when it is not EMF or is invalid EMF (AWS drops those)."""
    try:
        return parse(message)
    except InvalidEmf:
        return []

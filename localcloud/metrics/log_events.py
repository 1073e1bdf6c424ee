"""Metrics from ingested log events: embedded metric format documents and the log group's metric filters.

Called with every PutLogEvents batch moto accepted (`localcloud.patches.logs_metrics`); builds the
datapoints (`emf`, `log_filters`) and publishes them grouped by namespace.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from localcloud.metrics import emf, log_filters
from localcloud.metrics.publish import Datum, put_data


def datapoints(filters: Iterable[Mapping[str, Any]], events: Sequence[Mapping[str, Any]]) -> list[tuple[str, Datum]]:
    """(namespace, datum) for the batch: every EMF metric of every event, then every filter's transformations."""
    found = [(m.namespace, m.datum) for event in events for m in emf.extract(str(event["message"]))]
    for metric_filter in filters:
        found += log_filters.apply(metric_filter, events)
    return found


def publish(account: str, region: str, filters: Iterable[Mapping[str, Any]],
            events: Sequence[Mapping[str, Any]]) -> None:
    """Publish the batch's datapoints to `account`/`region`."""
    by_namespace: dict[str, list[Datum]] = defaultdict(list)
    for namespace, datum in datapoints(filters, events):
        by_namespace[namespace].append(datum)
    for namespace, data in by_namespace.items():
        put_data(account, region, namespace, data)

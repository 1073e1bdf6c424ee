"""The one writer of metric datapoints: moto's CloudWatch backend, under the CloudWatch request lock.

moto's CloudWatch backend is not thread-safe, and the emulator serializes CloudWatch requests
(`localcloud.patches.request_locks`); datapoints written in-process take the same lock. Timestamps
are wall-clock UTC, as AWS stamps them (`localcloud.clock` scales only the evaluator's and the
scheduler's clocks, never a datapoint).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from localcloud.patches.request_locks import held


@dataclass(frozen=True)
class Datum:
    """One datapoint: a single value, or a list of values (EMF arrays, as PutMetricData `Values`)."""

    name: str
    value: float | Sequence[float]
    unit: str = "None"
    dimensions: Mapping[str, str] = field(default_factory=dict)
    timestamp: datetime.datetime | None = None

    def to_moto(self, default_time: datetime.datetime) -> dict[str, Any]:
        """The PutMetricData member moto's backend takes."""
        member: dict[str, Any] = {
            "MetricName": self.name, "Unit": self.unit, "Timestamp": as_naive_utc(self.timestamp or default_time),
            "Dimensions": [{"Name": k, "Value": v} for k, v in self.dimensions.items()],
        }
        if isinstance(self.value, (int, float)):
            member["Value"] = float(self.value)
        else:
            member["Values"] = [float(v) for v in self.value]
        return member


def utcnow() -> datetime.datetime:
    """Wall-clock now in UTC, naive (moto's CloudWatch backend stores and compares naive UTC datetimes)."""
    return as_naive_utc(datetime.datetime.now(tz=datetime.UTC))


def as_naive_utc(moment: datetime.datetime) -> datetime.datetime:
    """`moment` as a naive UTC datetime (an aware one is converted; a naive one is taken as UTC)."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(datetime.UTC).replace(tzinfo=None)


def from_epoch_ms(millis: float) -> datetime.datetime:
    """A naive UTC datetime from epoch milliseconds (log event and EMF timestamps)."""
    return as_naive_utc(datetime.datetime.fromtimestamp(millis / 1000, tz=datetime.UTC))


def put_data(account: str, region: str, namespace: str, data: Sequence[Datum]) -> None:
    """Write `data` into the CloudWatch backend of `account`/`region`, under the CloudWatch lock."""
    if not data:
        return
    from moto.cloudwatch.models import cloudwatch_backends

    now = utcnow()
    members = [d.to_moto(now) for d in data]
    with held("monitoring"):
        cloudwatch_backends[account][region].put_metric_data(namespace, members)


def put(account: str, region: str, namespace: str, name: str, value: float, unit: str,
        dimensions: Mapping[str, str] | None = None, timestamp: datetime.datetime | None = None) -> None:
    """Write one datapoint (`timestamp` defaults to now)."""
    put_data(account, region, namespace, [Datum(name, value, unit, dict(dimensions or {}), timestamp)])

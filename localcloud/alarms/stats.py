"""CloudWatch statistics over one period's datapoints (pure).

Followed: CloudWatch User Guide, "CloudWatch statistics definitions" and "Statistics":

* `Sum`, `Average` (Sum / SampleCount), `Minimum`, `Maximum`, `SampleCount`, from raw values and
  statistic sets (PutMetricData `StatisticValues`) alike;
* percentiles `pNN` / `pNN.NN`: "pNN: NN % of the datapoints in the period are lower than this
  value", computed here by nearest rank on the raw values. A period holding a statistic set has no
  raw values, so a percentile other than p0 / p100 cannot be computed: the period has no value;
* periods are aligned as CloudWatch aligns them: a period starts at a multiple of its length
  since the epoch (a 60 s period on the minute, 300 s on the five minutes).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

SIMPLE = ("Sum", "Average", "Minimum", "Maximum", "SampleCount")
_PERCENTILE = re.compile(r"p(\d{1,2}(?:\.\d+)?|100)")


class UnsupportedStatistic(ValueError):
    """A statistic the emulator does not compute (trimmed means, IQM, ...)."""


@dataclass(frozen=True)
class Datum:
    """One PutMetricData entry: a raw value (`values=(v,)`) or a statistic set (`values=None`)."""

    time: float  # epoch seconds: emulated for alarms, wall-clock for GetMetricData
    total: float
    count: float
    minimum: float
    maximum: float
    values: tuple[float, ...] | None

    @classmethod
    def raw(cls, time: float, value: float) -> Datum:
        return cls(time, value, 1.0, value, value, (value,))

    @classmethod
    def aggregated(cls, time: float, total: float, count: float, minimum: float, maximum: float) -> Datum:
        return cls(time, total, count, minimum, maximum, None)


def period_start(time: float, period: int) -> float:
    """The start of the period holding `time` (CloudWatch's alignment)."""
    return math.floor(time / period) * period


def percentile(rank: float, values: Sequence[float]) -> float:
    """Nearest-rank percentile of `values` (non-empty)."""
    ordered = sorted(values)
    index = max(math.ceil(rank / 100 * len(ordered)) - 1, 0)
    return ordered[index]


def check(stat: str) -> None:
    """Raise `UnsupportedStatistic` for a statistic `statistic()` cannot compute."""
    if stat not in SIMPLE and not _PERCENTILE.fullmatch(stat):
        raise UnsupportedStatistic(f"statistic {stat!r} is not supported by the emulator")


def statistic(stat: str, datums: Sequence[Datum]) -> float | None:
    """`stat` of one period's datums; None when the period has no value (no data, or no percentile)."""
    check(stat)
    if not datums:
        return None
    count, total = sum(d.count for d in datums), sum(d.total for d in datums)
    simple: dict[str, float | None] = {
        "Sum": total, "Average": total / count if count else None, "SampleCount": count,
        "Minimum": min(d.minimum for d in datums), "Maximum": max(d.maximum for d in datums),
    }
    if stat in simple:
        return simple[stat]
    rank = float(stat[1:])
    if rank in (0.0, 100.0):
        return min(d.minimum for d in datums) if rank == 0 else max(d.maximum for d in datums)
    raw = [v for d in datums for v in (d.values or ())]
    if any(d.values is None for d in datums) or not raw:
        return None
    return percentile(rank, raw)


def series(stat: str, datums: Sequence[Datum], starts: Sequence[float], period: int) -> list[float | None]:
    """`stat` for each period starting at `starts` (None: no value in that period).

    `starts` are consecutive periods, counted from the first one: epoch-aligned starts (an alarm's)
    bucket as `period_start` does, and a GetMetricData range starting off the period's multiple
    (CloudWatch counts its periods from the rounded StartTime) buckets from that start.
    """
    origin = starts[0] if starts else 0.0
    buckets: dict[float, list[Datum]] = {start: [] for start in starts}
    for datum in datums:
        bucket = buckets.get(origin + period_start(datum.time - origin, period))
        if bucket is not None:
            bucket.append(datum)
    return [statistic(stat, buckets[start]) for start in starts]

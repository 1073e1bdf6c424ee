"""Reading back what the emulator published to CloudWatch (for the metrics tests)."""

from __future__ import annotations

import datetime
import time
from collections.abc import Callable

import boto3


def statistic(namespace: str, name: str, dimensions: dict[str, str], stat: str = "Sum") -> float:
    """`stat` over the last 15 minutes (and a minute ahead) of the metric, summed over its 1-minute periods."""
    now = datetime.datetime.now(tz=datetime.UTC)
    points = boto3.client("cloudwatch").get_metric_statistics(
        Namespace=namespace, MetricName=name, Dimensions=[{"Name": k, "Value": v} for k, v in dimensions.items()],
        StartTime=now - datetime.timedelta(minutes=15), EndTime=now + datetime.timedelta(minutes=1), Period=60,
        Statistics=[stat])["Datapoints"]
    combine: Callable[[list[float]], float] = max if stat == "Maximum" else sum
    return combine([float(p[stat]) for p in points]) if points else 0.0


def eventually(read: Callable[[], float], expected: float, timeout_s: float = 10.0) -> float:
    """`read()` once it equals `expected`, or its last value when `timeout_s` passed first."""
    deadline = time.time() + timeout_s
    value = read()
    while value != expected and time.time() < deadline:
        time.sleep(0.1)
        value = read()
    return value

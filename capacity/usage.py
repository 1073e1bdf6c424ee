"""Usage lines: what a path consumes per month, in the units the price table prices (shared helpers).

A `Line` is (service, what, price key, quantity); `capacity.cost_model` multiplies it by the
price. Helpers here turn function invocations, log bytes and stream records into lines, reading
memory, ephemeral storage and batch sizes from the synthesized stacks.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from capacity.billed_settings import bucket_keys, glacier_after_days, stream_batch_size
from capacity.facts import Measurements
from capacity.synthesized import LambdaSettings, Synthesized

GB = 1024**3  # Lambda GB-seconds and storage are binary GB
FREE_EPHEMERAL_MB = 512
SECONDS_PER_MONTH = 30 * 86_400
_RATE = re.compile(r"^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$")
_UNIT_S = {"minute": 60, "minutes": 60, "hour": 3600, "hours": 3600, "day": 86_400, "days": 86_400}


@dataclass(frozen=True, kw_only=True)
class Line:
    """One priced quantity per month."""

    service: str
    what: str
    price: str  # key in the price table
    quantity: float


def lambda_lines(fn: LambdaSettings, *, invocations: float, seconds_each: float) -> list[Line]:
    """Requests, GB-seconds (memory from the synthesized function) and ephemeral storage above 512 MB."""
    gb_s = invocations * seconds_each * fn.memory_mb / 1024
    lines = [Line(service="Lambda", what=f"{fn.name} requests", price="lambda.request", quantity=invocations),
             Line(service="Lambda", what=f"{fn.name} compute", price="lambda.gb_second_x86", quantity=gb_s)]
    if fn.architecture != "x86_64":
        raise ValueError(f"{fn.name}: architecture {fn.architecture!r} has no price key (only x86_64 is priced)")
    extra_mb = max(0, fn.ephemeral_mb - FREE_EPHEMERAL_MB)
    if extra_mb:
        lines.append(Line(service="Lambda", what=f"{fn.name} ephemeral storage", price="lambda.ephemeral_gb_second",
                          quantity=invocations * seconds_each * extra_mb / 1024))
    return lines


def log_lines(what: str, *, bytes_per_month: float, retention_days: int) -> list[Line]:
    """CloudWatch Logs ingestion, and storage of one month's logs (held for min(retention, 1 month))."""
    gb = bytes_per_month / GB
    held_months = 1.0 if retention_days == 0 else min(retention_days / 30, 1.0)
    return [Line(service="CloudWatch Logs", what=f"{what} ingestion", price="logs.ingest_gb", quantity=gb),
            Line(service="CloudWatch Logs", what=f"{what} storage", price="logs.storage_gb_month", quantity=gb * held_months)]


def stream_lines(synth: Synthesized, m: Measurements, *, records: float) -> list[Line]:
    """The transactions stream's consumer (anomaly_detector) for `records` INSERTs: invocations, reads, logs."""
    fn = synth.function("anomaly-detector")
    batch = stream_batch_size(synth)
    invocations = math.ceil(records / batch) if records else 0
    seconds = (m["stream_batch_ms"] + batch * m["stream_record_ms"]) / 1000
    return [*lambda_lines(fn, invocations=invocations, seconds_each=seconds),
            Line(service="DynamoDB", what="anomaly velocity queries", price="dynamodb.read_request_unit",
                 quantity=records * m["anomaly_rru_per_row"]),
            *log_lines("anomaly-detector", bytes_per_month=invocations * m["lambda_log_bytes_per_invocation"],
                       retention_days=retention(synth, "/aws/lambda/", "anomaly-detector"))]


def s3_storage_line(synth: Synthesized, what: str, *, gb: float) -> Line:
    """A month's new objects for a month, in the class the synthesized lifecycle rules keep them in then."""
    glacier_after = glacier_after_days(synth)
    if glacier_after is not None and glacier_after <= 30:
        return Line(service="S3", what=f"storage of {what} (GLACIER after {glacier_after} d)",
                    price="s3.glacier_gb_month", quantity=gb)
    later = f", GLACIER after {glacier_after} d" if glacier_after is not None else ""
    return Line(service="S3", what=f"storage of {what} (Standard{later})", price="s3.standard_gb_month", quantity=gb)


def kms_lines(synth: Synthesized, *, s3_requests: float) -> list[Line]:
    """KMS calls of SSE-KMS object requests: none to speak of with S3 Bucket Keys, one per request without."""
    if bucket_keys(synth):
        return []
    return [Line(service="KMS", what="SSE-KMS data key requests", price="kms.request", quantity=s3_requests)]


def retention(synth: Synthesized, prefix: str, purpose: str) -> int:
    """Retention of the log group `<prefix>txnpipe-<purpose>-<ws>`."""
    name = f"{prefix}txnpipe-{purpose}-{synth.workspace}"
    groups = synth.log_retention_days()
    if name not in groups:
        raise KeyError(f"no log group {name!r} in the synthesized stacks")
    return groups[name]


def runs_per_month(expression: str) -> float:
    """Runs per 30-day month of an EventBridge Scheduler `rate(...)` expression."""
    match = _RATE.match(expression)
    if not match:
        raise ValueError(f"schedule {expression!r}: only rate(N minutes|hours|days) is modelled")
    return SECONDS_PER_MONTH / (int(match.group(1)) * _UNIT_S[match.group(2)])

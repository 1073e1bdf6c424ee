"""Scheduled roll-up (every 5 minutes) of today's transactions per account, merchant and currency.

Each run recomputes the day from the transactions table and replaces that day's object
`aggregates/day=<day>/totals.jsonl` in the processed bucket (one JSON line per group), so
re-running a window never double counts. A run older than the stored one does not overwrite it.
Scaling note: this scans the table with a filter on `timestamp_utc`; at volume, roll up the
day's Parquet partition (Athena) or keep a per-day index instead.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from aws_lambda_powertools import Logger, Tracer
from aws_lambda_powertools.utilities.typing import LambdaContext
from boto3.dynamodb.conditions import Attr
from botocore.exceptions import ClientError

from txnpipe import clients
from txnpipe.aggregation.rollup import aggregate_key, day_lines, days_to_roll, rollup
from txnpipe.function_environments import AggregatorEnvironment

logger = Logger()
tracer = Tracer()
ENV = AggregatorEnvironment.from_environ()
FIELDS = ("partner_id", "account_id", "merchant_id", "currency", "transaction_type", "amount_minor",
          "signed_amount_minor", "timestamp_utc")


def _as_of(event: dict[str, Any]) -> datetime:
    """The scheduled time EventBridge Scheduler passes (a re-run of a window keeps it), else now."""
    text = event.get("scheduled_time")
    if isinstance(text, str) and text:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)
    return datetime.now(UTC)


def _transactions(days: list[str]) -> Iterator[dict[str, Any]]:
    table = clients.table(ENV.transactions_table)
    scan: dict[str, Any] = {
        "FilterExpression": Attr("timestamp_utc").between(f"{days[0]}T00:00:00Z", f"{days[-1]}T23:59:59Z"),
        "ProjectionExpression": ", ".join(FIELDS),
    }
    while True:
        page = table.scan(**scan)
        yield from page["Items"]
        if "LastEvaluatedKey" not in page:
            return
        scan["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def _stored_as_of(bucket: str, key: str) -> str | None:
    try:
        head = clients.client("s3").head_object(Bucket=bucket, Key=key)
    except ClientError as error:
        if error.response["Error"]["Code"] in {"404", "NoSuchKey", "NotFound"}:
            return None
        raise
    value = head.get("Metadata", {}).get("as-of")
    return str(value) if value else None


@tracer.capture_lambda_handler
@logger.inject_lambda_context
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    """Recompute and store the totals of the days the run covers."""
    moment = _as_of(event)
    as_of = moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    days = days_to_roll(moment)
    totals = rollup(_transactions(days), days)
    bucket, written = ENV.aggregates_bucket, []
    for day in days:
        key = aggregate_key(day)
        stored = _stored_as_of(bucket, key)
        if stored is not None and stored > as_of:
            logger.info("newer aggregates exist; not overwriting", extra={"day": day, "stored_as_of": stored})
            continue
        clients.client("s3").put_object(
            Bucket=bucket, Key=key, Body=day_lines(totals, day, as_of=as_of), ContentType="application/x-ndjson",
            Metadata={"as-of": as_of}, ServerSideEncryption="aws:kms", SSEKMSKeyId=ENV.kms_key_arn,
        )
        written.append(key)
    logger.info("aggregates stored", extra={"days": days, "groups": len(totals), "objects": written})
    return {"days": days, "as_of": as_of, "groups": len(totals), "objects": written}

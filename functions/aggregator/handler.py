"""Scheduled roll-up (every 5 minutes) of today's transactions per account, merchant and currency.

Each run recomputes the day from the transactions table and replaces that day's object
`aggregates/day=<day>/totals.jsonl` in the processed bucket (one JSON line per group), so
re-running a window never double counts. A run older than the stored one does not overwrite it.

Reads are per day, not per table: every item carries `txn_day_shard` = "<UTC day>#<shard>"
(txnpipe.items, set by both writers), the partition key of the sparse `DAY_INDEX`; a run Queries
the DAY_SHARDS partitions of each day it rolls (txnpipe.aggregation.reads), projecting only the
fields `rollup` needs (the index projects just those, so its entries are ~1/3 of an item). A run's
cost is the days' transactions, flat in the table's history (bench/bench_aggregator.py).
Why this design:
* A per-day index keeps the replace-the-day's-object design (the day is recomputed whole, so a
  re-run or a retried window gives the same bytes). Counting only new items since the last run
  would be cheaper again, but then a retried or overlapping run must know what it already added.
* Shards: a bulk day writes all its rows under one day; one index partition takes 1,000 WRU/s,
  so DAY_SHARDS (txnpipe.layout) spreads the load plan's peak. The shard is a hash of the table key,
  so a re-written item keeps its index key.
* Rolling up the day's Parquet partition with Athena instead would read only S3, but misses the
  API's transactions (they are not in Parquet) and adds a query engine to a 5-minute job.
Costs: the index adds one WRU per stored transaction (the index write). A run late in a 10M-row
day still reads that day's ~10M index entries (~1.5 GB, sequentially); beyond that, query the
shards in parallel or keep per-shard partial totals.
Items written before the index existed have no `txn_day_shard` and are not read: backfill them
once (README, "Aggregates").
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from aws_lambda_powertools import Logger, Tracer
from aws_lambda_powertools.utilities.typing import LambdaContext
from botocore.exceptions import ClientError

from txnpipe import clients
from txnpipe.aggregation.reads import ReadStats, day_transactions
from txnpipe.aggregation.rollup import aggregate_key, day_lines, days_to_roll, rollup
from txnpipe.function_environments import AggregatorEnvironment

logger = Logger()
tracer = Tracer()
ENV = AggregatorEnvironment.from_environ()


def _as_of(event: dict[str, Any]) -> datetime:
    """The scheduled time EventBridge Scheduler passes (a re-run of a window keeps it), else now."""
    text = event.get("scheduled_time")
    if isinstance(text, str) and text:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)
    return datetime.now(UTC)


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
    reads = ReadStats()
    totals = rollup(day_transactions(clients.table(ENV.transactions_table), days, reads), days)
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
    summary: dict[str, Any] = {"days": days, "as_of": as_of, "groups": len(totals), "objects": written,
                               "items_read": reads.items_read, "read_units": reads.read_units, "queries": reads.requests}
    logger.info("aggregates stored", extra=summary)
    return summary

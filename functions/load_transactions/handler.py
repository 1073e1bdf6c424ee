"""Load one processed Parquet object into the `transactions` table (parallel batches, re-runnable).

One sequential writer manages a few hundred items/s; a 1M-row file needs several writers to finish
inside the SLA (bench/README.md), so row batches are written by WRITERS threads, each with its own
boto3 session (sessions are not thread-safe). The first stored value of an id wins (txnpipe.replays):
new rows are put only if still absent (txnpipe.conditional_writes); replays are counted, conflicting
rows are set aside in the quarantine bucket with the reason, and the part's counts are added to the
file's status record once (txnpipe.loading).
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from pathlib import Path
from typing import Any

import boto3
import pyarrow.parquet as pq
from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from txnpipe import clients
from txnpipe.errors import transient_errors
from txnpipe.function_environments import LoadTransactionsEnvironment
from txnpipe.items import item_from_row
from txnpipe.layout import conflicts_key, conflicts_prefix
from txnpipe.loading import conflict_lines, part_id, record_part, store_batch
from txnpipe.replays import Tally

logger = Logger()
tracer = Tracer()
metrics = Metrics()
ENV = LoadTransactionsEnvironment.from_environ()
BATCH_ROWS = 5_000


@tracer.capture_lambda_handler
@logger.inject_lambda_context
@metrics.log_metrics
@transient_errors
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    """Input `{bucket, key, partner_id}`; loading the same object again stores and counts nothing twice."""
    with tempfile.TemporaryDirectory() as tmp:
        local = Path(tmp) / "part.parquet"
        clients.client("s3").download_file(event["bucket"], event["key"], str(local))
        parquet = pq.ParquetFile(local)
        file_id = _file_id(parquet, event["key"])
        batches = (b.to_pylist() for b in parquet.iter_batches(batch_size=BATCH_ROWS))
        tally = Tally()
        for part in _write_in_parallel(batches, event["partner_id"], ENV.writers):
            tally.add(part)
    recorded = _record(event, file_id, tally) if file_id else False  # a chunk of only rejected rows: nothing
    for name, value in (("TransactionsLoaded", tally.stored), ("TransactionsReplayed", tally.replayed),
                        ("TransactionsConflicting", len(tally.conflicts))):
        metrics.add_metric(name=name, unit=MetricUnit.Count, value=value)
    logger.info("transactions loaded", extra={"key": event["key"], "file_id": file_id, "rows": tally.stored,
                                              "replayed": tally.replayed, "conflicting": len(tally.conflicts),
                                              "counted_before": bool(file_id) and not recorded})
    return {"key": event["key"], "rows_loaded": tally.stored, "rows_replayed": tally.replayed,
            "rows_conflicting": len(tally.conflicts)}


def _file_id(parquet: pq.ParquetFile, key: str) -> str | None:
    """The file every row of the object belongs to (one file per object); None for an object of no rows."""
    ids = parquet.read(columns=["file_id"]).column("file_id").unique().to_pylist()
    if len(ids) > 1:
        raise ValueError(f"{key}: a processed object holds the rows of exactly one file, found file ids {ids[:3]}")
    return str(ids[0]) if ids else None


def _write_in_parallel(batches: Iterator[list[dict[str, Any]]], partner_id: str,
                       writers: int) -> Iterator[Tally]:
    """Write batches on `writers` threads, holding at most 2 x writers batches in memory: a tally each."""
    with ThreadPoolExecutor(max_workers=writers) as pool:
        pending: set[Future[Tally]] = set()
        for rows in batches:
            if len(pending) >= 2 * writers:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                yield from (f.result() for f in done)
            pending.add(pool.submit(_write, rows, partner_id))
        yield from (f.result() for f in wait(pending).done)


def _write(rows: list[dict[str, Any]], partner_id: str) -> Tally:
    client = boto3.session.Session().resource("dynamodb").meta.client  # a resource's client: native values
    return store_batch(client, ENV.transactions_table, [item_from_row(row, partner_id) for row in rows])


def _record(event: dict[str, Any], file_id: str, tally: Tally) -> bool:
    """Quarantine the part's conflicting rows (before counting them), then add its counts to the file once."""
    part, at = part_id(event["key"]), None
    if tally.conflicts:
        at = conflicts_prefix(partner_id=event["partner_id"], file_id=file_id)
        clients.client("s3").put_object(
            Bucket=ENV.quarantine_bucket, Key=conflicts_key(partner_id=event["partner_id"], file_id=file_id, part=part),
            Body=conflict_lines(tally), ContentType="application/x-ndjson")
    return record_part(clients.table(ENV.files_table), file_id=file_id, part=part, tally=tally, conflicts_at=at)

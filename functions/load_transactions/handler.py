"""Load one processed Parquet object into the `transactions` table (parallel batches, re-runnable).

One sequential BatchWriteItem loop manages ~500 items/s; a 1M-row file needs several writers
to finish inside the SLA (bench/README.md), so row batches are written by WRITERS threads,
each with its own boto3 session (sessions are not thread-safe). Unprocessed items of a throttled
request are re-sent with exponential, jittered backoff (`txnpipe.batch_write`).
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
from txnpipe.batch_write import put_all
from txnpipe.errors import transient_errors
from txnpipe.function_environments import LoadTransactionsEnvironment
from txnpipe.items import item_from_row

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
    """Input `{bucket, key, partner_id}`; writing the same object twice stores the same items."""
    with tempfile.TemporaryDirectory() as tmp:
        local = Path(tmp) / "part.parquet"
        clients.client("s3").download_file(event["bucket"], event["key"], str(local))
        batches = (b.to_pylist() for b in pq.ParquetFile(local).iter_batches(batch_size=BATCH_ROWS))
        written = list(_write_in_parallel(batches, event["partner_id"], ENV.writers))
    loaded, resent = sum(rows for rows, _ in written), sum(again for _, again in written)
    metrics.add_metric(name="TransactionsLoaded", unit=MetricUnit.Count, value=loaded)
    logger.info("transactions loaded", extra={"key": event["key"], "rows": loaded, "unprocessed_resent": resent})
    return {"key": event["key"], "rows_loaded": loaded}


def _write_in_parallel(batches: Iterator[list[dict[str, Any]]], partner_id: str,
                       writers: int) -> Iterator[tuple[int, int]]:
    """Write batches on `writers` threads, holding at most 2 x writers batches in memory: (rows, re-sent) each."""
    with ThreadPoolExecutor(max_workers=writers) as pool:
        pending: set[Future[tuple[int, int]]] = set()
        for rows in batches:
            if len(pending) >= 2 * writers:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                yield from (f.result() for f in done)
            pending.add(pool.submit(_write, rows, partner_id))
        yield from (f.result() for f in wait(pending).done)


def _write(rows: list[dict[str, Any]], partner_id: str) -> tuple[int, int]:
    client = boto3.session.Session().resource("dynamodb").meta.client  # a resource's client: native values
    items = (item_from_row(row, partner_id) for row in rows)
    return len(rows), put_all(client, ENV.transactions_table, items, key="transaction_key")

"""Load one processed Parquet object into the `transactions` table (batched, re-runnable)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from txnpipe import clients
from txnpipe.errors import transient_errors
from txnpipe.items import item_from_row

logger = Logger()
tracer = Tracer()
metrics = Metrics()
BATCH_ROWS = 10_000


@tracer.capture_lambda_handler
@logger.inject_lambda_context
@metrics.log_metrics
@transient_errors
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    """Input `{bucket, key, partner_id}`; writing the same object twice stores the same items."""
    table = clients.table(os.environ["TRANSACTIONS_TABLE"])
    loaded = 0
    with tempfile.TemporaryDirectory() as tmp:
        local = Path(tmp) / "part.parquet"
        clients.client("s3").download_file(event["bucket"], event["key"], str(local))
        with table.batch_writer(overwrite_by_pkeys=["transaction_key"]) as writer:
            for batch in pq.ParquetFile(local).iter_batches(batch_size=BATCH_ROWS):
                for row in batch.to_pylist():
                    writer.put_item(Item=item_from_row(row, event["partner_id"]))
                    loaded += 1
    metrics.add_metric(name="TransactionsLoaded", unit=MetricUnit.Count, value=loaded)
    logger.info("transactions loaded", extra={"key": event["key"], "rows": loaded})
    return {"key": event["key"], "rows_loaded": loaded}

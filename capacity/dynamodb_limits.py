"""DynamoDB and boto3 facts the load plan is computed against (each with its source), defined once here.

* On-demand initial throughput: "New on-demand tables will be able to sustain up to 4,000 writes per
  second and 12,000 reads per second"; traffic above twice the previous peak within 30 minutes may
  throttle ("Pre-warming a table for on-demand capacity mode", Amazon DynamoDB Developer Guide).
* Per-table default quota 40,000 WRU/s and RRU/s for on-demand tables ("Quotas in Amazon DynamoDB").
* Per partition: 1,000 WRU/s or 3,000 RRU/s (re:Post "on-demand table throttling", Developer Guide
  "Partitions and data distribution").
* One WRU writes up to 1 KB; every GSI the item is projected into is written too ("Read/write
  capacity mode", "Provisioned throughput considerations for GSIs").
* BatchWriteItem: up to 25 put/delete requests and 16 MB per call; items it could not write come back
  as `UnprocessedItems` ("BatchWriteItem", DynamoDB API Reference).
* `warm_throughput` on `aws_dynamodb_table`: not in hashicorp/aws 5.100.0 (the provider this project
  pins; neither its schema nor the cdktf binding has it; requested in hashicorp/terraform-provider-aws#40141).
"""

from __future__ import annotations

import json
from pathlib import Path

import botocore

from txnpipe.batch_write import MAX_BATCH, Backoff

NEW_TABLE_WRU_PER_S = 4_000
TABLE_QUOTA_WRU_PER_S = 40_000
PARTITION_WRU_PER_S = 1_000
WRU_BYTES = 1_024
BATCH_WRITE_MAX_ITEMS = 25
BATCH_WRITE_MAX_BYTES = 16 * 1024 * 1024
PROVIDER_SUPPORTS_WARM_THROUGHPUT = False


def loader_batch_items() -> int:
    """Items per BatchWriteItem call that the loader sends (`txnpipe.batch_write.MAX_BATCH`)."""
    return MAX_BATCH


def loader_backoff_wait_s() -> tuple[int, float]:
    """(attempts, longest total wait s) of the loader's re-sends of unprocessed items (jitter at its bound)."""
    backoff = Backoff(jitter=lambda: 1.0)
    return backoff.attempts, sum(backoff.delay(n) for n in range(1, backoff.attempts))


def botocore_dynamodb_retry() -> tuple[int, float, float]:
    """(max attempts, base delay s, growth) of botocore's legacy retry mode for DynamoDB (its `_retry.json`)."""
    data = json.loads((Path(botocore.__file__).parent / "data" / "_retry.json").read_text())
    config = data["retry"]["dynamodb"]["__default__"]
    delay = config["delay"]
    return int(config["max_attempts"]), float(delay["base"]), float(delay["growth_factor"])

"""DynamoDB and boto3 facts the load plan is computed against (each with its source), defined once here.

* On-demand initial throughput: "New on-demand tables will be able to sustain up to 4,000 writes per
  second and 12,000 reads per second"; traffic above twice the previous peak within 30 minutes may
  throttle ("Pre-warming a table for on-demand capacity mode", Amazon DynamoDB Developer Guide).
* Per-table default quota 40,000 WRU/s and RRU/s for on-demand tables ("Quotas in Amazon DynamoDB").
* Per partition: 1,000 WRU/s or 3,000 RRU/s (re:Post "on-demand table throttling", Developer Guide
  "Partitions and data distribution").
* One WRU writes up to 1 KB; every GSI the item is projected into is written too ("Read/write
  capacity mode", "Provisioned throughput considerations for GSIs"). A transactional write costs two
  underlying writes, prepare and commit ("Capacity management for transactions"); the GSI copies are
  counted here as standard writes, one per index.
* One RRU reads up to 4 KB strongly consistent, two such reads eventually consistent; an item that
  does not exist still costs the minimum read.
* The loader (txnpipe.loading) reads each chunk's keys with BatchGetItem (up to 100 keys), then puts
  the new items with TransactWriteItems (up to 100 actions, 4 MB); a throttled transaction is canceled
  with `ThrottlingError` and sent again after a backoff ("TransactWriteItems", DynamoDB API Reference).
* `warm_throughput` on `aws_dynamodb_table`: not in hashicorp/aws 5.100.0 (the provider this project
  pins; neither its schema nor the cdktf binding has it; requested in hashicorp/terraform-provider-aws#40141).
"""

from __future__ import annotations

import json
from pathlib import Path

import botocore

from txnpipe.backoff import Backoff
from txnpipe.conditional_writes import MAX_TRANSACTION

NEW_TABLE_WRU_PER_S = 4_000
TABLE_QUOTA_WRU_PER_S = 40_000
PARTITION_WRU_PER_S = 1_000
WRU_BYTES = 1_024
RRU_BYTES = 4_096
TRANSACTIONAL_WRITE_FACTOR = 2  # prepare + commit
EVENTUAL_READ_RRU = 0.5
TRANSACTION_MAX_ITEMS = 100
TRANSACTION_MAX_BYTES = 4 * 1024 * 1024
PROVIDER_SUPPORTS_WARM_THROUGHPUT = False


def loader_batch_items() -> int:
    """Items per TransactWriteItems (and keys per BatchGetItem) the loader sends (`MAX_TRANSACTION`)."""
    return MAX_TRANSACTION


def loader_backoff_wait_s() -> tuple[int, float]:
    """(attempts, longest total wait s) of the loader's re-sends of throttled reads and transactions (jitter at its bound)."""
    backoff = Backoff(jitter=lambda: 1.0)
    return backoff.attempts, sum(backoff.delay(n) for n in range(1, backoff.attempts))


def botocore_dynamodb_retry() -> tuple[int, float, float]:
    """(max attempts, base delay s, growth) of botocore's legacy retry mode for DynamoDB (its `_retry.json`)."""
    data = json.loads((Path(botocore.__file__).parent / "data" / "_retry.json").read_text())
    config = data["retry"]["dynamodb"]["__default__"]
    delay = config["delay"]
    return int(config["max_attempts"]), float(delay["base"]), float(delay["growth_factor"])

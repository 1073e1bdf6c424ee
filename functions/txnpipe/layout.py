"""Where the pipeline keeps its data: bucket names, object key layouts and table index names, defined once.

The stacks build bucket names, IAM resource prefixes and the tables' indexes from these names;
the handlers write, read and query with the same ones. Prefixes are without their trailing `/`.
"""

from __future__ import annotations

# -- bucket names --------------------------------------------------------------------------------


def bucket_name(qualified: str, account_id: str) -> str:
    """A bucket's global name: the workspace-qualified name (`txnpipe-raw-dev`) plus the account id.

    Bucket names are global: the account id keeps the same workspace of two accounts apart.
    """
    return f"{qualified}-{account_id}"


# -- raw bucket ----------------------------------------------------------------------------------
UPLOADS_PREFIX = "uploads"  # partner files: uploads/<partner_id>/<name>.<csv|json>
API_ARCHIVE_PREFIX = "api"  # bodies of POST /transactions: api/<partner_id>/<day>/<transaction_id>-<hash>.json

# -- processed bucket ----------------------------------------------------------------------------
PROCESSED_PREFIX = "transactions"  # Parquet: transactions/transaction_date=<day>/partner_id=<p>/<file_id>[-cNNNNN].parquet
AGGREGATES_PREFIX = "aggregates"  # daily totals: aggregates/day=<day>/totals.jsonl

# -- quarantine bucket ---------------------------------------------------------------------------
QUARANTINE_PREFIX = "rejected"


def quarantine_key(*, partner_id: str, file_id: str, suffix: str = "") -> str:
    """Key of a file's rejected rows (JSON Lines); `suffix` names one chunk's part (`-c00002`)."""
    return f"{QUARANTINE_PREFIX}/partner_id={partner_id}/{file_id}{suffix}.jsonl"


def conflicts_prefix(*, partner_id: str, file_id: str) -> str:
    """Prefix of a file's conflicting rows: valid rows whose id was already stored with other content."""
    return f"{QUARANTINE_PREFIX}/partner_id={partner_id}/{file_id}-conflicts"


def conflicts_key(*, partner_id: str, file_id: str, part: str) -> str:
    """Key of one loaded part's conflicting rows (JSON Lines, the shape of `quarantine_key`'s)."""
    return f"{conflicts_prefix(partner_id=partner_id, file_id=file_id)}/{part}.jsonl"


# -- work (artifacts) bucket ---------------------------------------------------------------------
CHUNK_PLAN_PREFIX = "chunks"  # plan_chunks' byte ranges, read by ValidateChunks' ItemReader
MANIFEST_PREFIX = "manifests"  # processed-keys manifests, read by LoadTransactions' ItemReader
CHUNK_RESULTS_PREFIX = "chunk-results"  # ValidateChunks' ResultWriter
LOAD_RESULTS_PREFIX = "load-results"  # LoadTransactions' ResultWriter


def chunk_plan_key(file_id: str) -> str:
    """Work-bucket key of a large file's chunk plan (a JSON array of byte ranges)."""
    return f"{CHUNK_PLAN_PREFIX}/{file_id}/manifest.json"


def processed_manifest_key(file_id: str, suffix: str = "") -> str:
    """Work-bucket key of a file's (or, with a chunk suffix, a chunk's) processed-keys manifest."""
    return f"{MANIFEST_PREFIX}/{file_id}/processed{suffix}.json"


# -- table indexes -------------------------------------------------------------------------------
STATUS_INDEX = "status-updated_at-index"  # files by status (sla_monitor)
UPLOAD_REF_INDEX = "upload_ref-index"  # files by the id POST /uploads handed out (api_status)
ACCOUNT_INDEX = "account-timestamp-index"  # transactions of one account in time order (anomaly_detector)
DAY_INDEX = "day-shard-timestamp-index"  # transactions of one UTC day, one write shard at a time (aggregator)
DAY_SHARD_ATTRIBUTE = "txn_day_shard"  # DAY_INDEX's partition key: "<day>#<shard>", e.g. "2026-12-02#07"
#: Write shards per day of DAY_INDEX. All of a bulk day's writes land on one day, and one index
#: partition takes at most 1,000 WRU/s: 40 shards x 1,000 = the table's 40,000 WRU/s quota, the
#: peak the load plan gives (10 loads x 8 writers x 500 items/s; tests/capacity checks the product).
DAY_SHARDS = 40

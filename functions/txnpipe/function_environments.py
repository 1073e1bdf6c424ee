"""What each Lambda function reads from its environment: one record per handler (txnpipe.environment).

The handler parses its record at cold start; the stack builds the function's variables from the
same record, and its FunctionSpec names the record so the two cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass

from txnpipe.environment import HandlerEnvironment

NO_PARTNERS = "{}"  # no API key mapped: every request is refused (403)


@dataclass(frozen=True, kw_only=True)
class RegisterFileEnvironment(HandlerEnvironment):
    """register_file: where files are registered, and the size from which a file is chunked."""

    files_table: str
    audit_table: str
    large_file_bytes: int


@dataclass(frozen=True, kw_only=True)
class FileStatusEnvironment(HandlerEnvironment):
    """file_status: the files table it updates and the audit trail it appends to."""

    files_table: str
    audit_table: str


@dataclass(frozen=True, kw_only=True)
class FileOutputEnvironment(HandlerEnvironment):
    """validate_file and merge_chunks: the buckets a file's outputs and manifests go to."""

    processed_bucket: str
    quarantine_bucket: str
    work_bucket: str
    powertools_metrics_namespace: str  # read by Powertools' Metrics


@dataclass(frozen=True, kw_only=True)
class PlanChunksEnvironment(HandlerEnvironment):
    """plan_chunks: where chunk plans go, and how large a chunk is."""

    work_bucket: str
    chunk_bytes: int


@dataclass(frozen=True, kw_only=True)
class LoadTransactionsEnvironment(HandlerEnvironment):
    """load_transactions: the table it loads, where its counts and conflicting rows go, how many threads write."""

    transactions_table: str
    files_table: str
    quarantine_bucket: str
    powertools_metrics_namespace: str  # read by Powertools' Metrics
    writers: int = 8


@dataclass(frozen=True, kw_only=True)
class SummarizeQuarantineEnvironment(HandlerEnvironment):
    """summarize_quarantine: the audit trail it appends to."""

    audit_table: str


@dataclass(frozen=True, kw_only=True)
class SlaMonitorEnvironment(HandlerEnvironment):
    """sla_monitor: the files table and its status index, and where the metric goes."""

    files_table: str
    status_index: str
    metrics_namespace: str
    workspace: str  # the metric's Workspace dimension


@dataclass(frozen=True, kw_only=True)
class ApiIngestEnvironment(HandlerEnvironment):
    """api_ingest (POST /transactions): partners' keys, where transactions are stored, archived, announced."""

    partner_keys: str = NO_PARTNERS  # JSON: API key id → partner id
    transactions_table: str
    raw_bucket: str
    kms_key_arn: str
    event_bus_name: str


@dataclass(frozen=True, kw_only=True)
class ApiUploadsEnvironment(HandlerEnvironment):
    """api_uploads (POST /uploads): partners' keys, the bucket and key presigned uploads must use."""

    partner_keys: str = NO_PARTNERS  # JSON: API key id → partner id
    raw_bucket: str
    kms_key_arn: str


@dataclass(frozen=True, kw_only=True)
class ApiStatusEnvironment(HandlerEnvironment):
    """api_status (GET /files, /transactions): partners' keys and the tables it reads."""

    partner_keys: str = NO_PARTNERS  # JSON: API key id → partner id
    files_table: str
    transactions_table: str
    files_upload_index: str


@dataclass(frozen=True, kw_only=True)
class AnomalyDetectorEnvironment(HandlerEnvironment):
    """anomaly_detector: the table it queries, the audit trail and the topic of its alerts."""

    transactions_table: str
    audit_table: str
    alert_topic_arn: str
    powertools_metrics_namespace: str  # read by Powertools' Metrics


@dataclass(frozen=True, kw_only=True)
class AggregatorEnvironment(HandlerEnvironment):
    """aggregator: the table it rolls up, and the bucket and key its daily totals go to."""

    transactions_table: str
    aggregates_bucket: str
    kms_key_arn: str

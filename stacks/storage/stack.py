"""Storage stack: the CMK, the buckets and the tables every other stack builds on."""

from __future__ import annotations

from cdktf import TerraformOutput
from cdktf_cdktf_provider_aws.cloudwatch_event_bus import CloudwatchEventBus
from cdktf_cdktf_provider_aws.data_aws_caller_identity import DataAwsCallerIdentity
from cdktf_cdktf_provider_aws.s3_bucket_notification import S3BucketNotification
from cdktf_cdktf_provider_aws.sns_topic_subscription import SnsTopicSubscription
from constructs import Construct

from stacks.base import PipelineStack
from stacks.config import WorkspaceConfig
from stacks.constructs.messaging import SecureTopic
from stacks.constructs.policy import Statement
from stacks.constructs.secure_bucket import SecureBucket
from stacks.constructs.table import Index, PipelineTable, TableSpec
from stacks.naming import Service, check_name
from stacks.observability.registry import Monitored, WatchedTable
from stacks.storage.kms import PipelineKey
from txnpipe.aggregation.rollup import ROLLUP_FIELDS
from txnpipe.layout import (
    ACCOUNT_INDEX,
    DAY_INDEX,
    DAY_SHARD_ATTRIBUTE,
    STATUS_INDEX,
    UPLOAD_REF_INDEX,
    UPLOADS_PREFIX,
    bucket_name,
)

# Any 12-digit account id: a bucket name must stay within S3's limit whatever the account.
_SAMPLE_ACCOUNT_ID = "123456789012"
FILES = TableSpec(
    purpose="files", hash_key="file_id",
    indexes=[Index(name=STATUS_INDEX, hash_key="status", range_key="updated_at"),
             # GET /files/{id} with the id POST /uploads handed out ("<partner>/<name>").
             Index(name=UPLOAD_REF_INDEX, hash_key="upload_ref", range_key="received_at")],
)
# Keyed by partner and id: ids are unique per partner, and a single-id key would let one
# partner's bulk load land on one partition.
TRANSACTIONS = TableSpec(
    purpose="transactions", hash_key="transaction_key", stream=True,
    indexes=[Index(name=ACCOUNT_INDEX, hash_key="account_key", range_key="timestamp_utc"),
             # One UTC day's transactions per write shard, with only what the aggregator reads.
             Index(name=DAY_INDEX, hash_key=DAY_SHARD_ATTRIBUTE, range_key="timestamp_utc",
                   include=[f for f in ROLLUP_FIELDS if f != "timestamp_utc"])],
)
AUDIT = TableSpec(purpose="audit", hash_key="entity_id", range_key="event_key")
IDEMPOTENCY = TableSpec(purpose="idempotency", hash_key="id", ttl_attribute="expiration")


class StorageStack(PipelineStack):
    """KMS key, raw/processed/quarantine/artifacts/access-log buckets and the four tables."""

    def __init__(self, scope: Construct, *, config: WorkspaceConfig) -> None:
        super().__init__(scope, "storage", config=config)
        self.account_id = DataAwsCallerIdentity(self, "account").account_id
        self.kms = PipelineKey(
            self, "kms", name=self.namer.name("data"), account_id=self.account_id,
            region=config.region, protect=config.deletion_protection,
        )
        self.access_logs = self._bucket("access-logs", kms=False, log_to=None)
        log_target = self.access_logs.name
        self.raw = self._bucket("raw", kms=True, log_to=log_target, extra=self._upload_encryption_statements())
        self.processed = self._bucket("processed", kms=True, log_to=log_target)
        self.quarantine = self._bucket("quarantine", kms=True, log_to=log_target)
        # Deployment artifacts too large for a direct Lambda upload (the dependencies layer).
        self.artifacts = self._bucket("artifacts", kms=True, log_to=log_target)
        S3BucketNotification(self, "raw-eventbridge", bucket=self.raw.bucket.id, eventbridge=True)
        self.files = self._table("files", FILES)
        self.transactions = self._table("transactions", TRANSACTIONS)
        self.audit = self._table("audit", AUDIT)
        self.idempotency = self._table("idempotency", IDEMPOTENCY)
        self._integration()
        self.monitored = Monitored(tables=[
            WatchedTable(name=t.name) for t in (self.files, self.transactions, self.audit, self.idempotency)])
        TerraformOutput(self, "raw_bucket", value=self.raw.name,
                        description=f"Partners upload under {UPLOADS_PREFIX}/<partner_id>/")
        TerraformOutput(self, "files_table", value=self.files.name, description="Status of every file")

    def _integration(self) -> None:
        """Shared by every other stack, so it lives here and no stack depends on a sibling."""
        self.event_bus = CloudwatchEventBus(self, "event-bus", name=self.namer.name("events", Service.EVENTS))
        self.alerts = SecureTopic(
            self, "alerts", name=self.namer.name("alerts", Service.SNS), kms_key_arn=self.kms.arn,
            account_id=self.account_id, publisher_services=["cloudwatch.amazonaws.com", "events.amazonaws.com"],
        )
        SnsTopicSubscription(
            self, "alerts-email", topic_arn=self.alerts.arn, protocol="email", endpoint=self.config.alert_email,
        )

    def _upload_encryption_statements(self) -> list[Statement]:
        """Partner uploads (presigned PUTs) must ask for SSE-KMS with the pipeline's key."""
        uploads = f"arn:aws:s3:::{self._bucket_name('raw')}/{UPLOADS_PREFIX}/*"
        return [
            Statement(sid="DenyUnencryptedUploads", effect="Deny", actions=["s3:PutObject"], principals={"AWS": "*"},
                      resources=[uploads], conditions={"StringNotEquals": {"s3:x-amz-server-side-encryption": "aws:kms"}}),
            Statement(sid="DenyUploadsWithOtherKeys", effect="Deny", actions=["s3:PutObject"], principals={"AWS": "*"},
                      resources=[uploads], conditions={"StringNotEquals": {
                          "s3:x-amz-server-side-encryption-aws-kms-key-id": self.kms.arn}}),
        ]

    def _bucket(self, purpose: str, *, kms: bool, log_to: str | None, extra: list[Statement] | None = None) -> SecureBucket:
        check_name(bucket_name(self.namer.name(purpose), _SAMPLE_ACCOUNT_ID), Service.S3)
        extra = list(extra or []) + ([] if log_to is not None or kms else [self._log_delivery_statement(purpose)])
        return SecureBucket(
            self, purpose, name=self._bucket_name(purpose),
            kms_key_arn=self.kms.arn if kms else None, force_destroy=self.config.force_destroy,
            access_log_bucket=log_to, extra_statements=extra,
        )

    def _bucket_name(self, purpose: str) -> str:
        return bucket_name(self.namer.name(purpose), self.account_id)

    def _log_delivery_statement(self, purpose: str) -> Statement:
        arn = f"arn:aws:s3:::{self._bucket_name(purpose)}/*"
        return Statement(
            sid="S3ServerAccessLogDelivery", actions=["s3:PutObject"],
            principals={"Service": "logging.s3.amazonaws.com"}, resources=[arn],
            conditions={"StringEquals": {"aws:SourceAccount": self.account_id}},
        )

    def _table(self, id: str, spec: TableSpec) -> PipelineTable:
        return PipelineTable(
            self, id, spec=spec, name=self.namer.name(spec.purpose, Service.DYNAMODB),
            kms_key_arn=self.kms.arn, protect=self.config.deletion_protection,
        )

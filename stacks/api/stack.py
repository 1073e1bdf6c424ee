"""API stack: the partner REST API, presigned uploads, status reads, anomaly detection, aggregates.

Wiring only; the pieces live beside it in `stacks/api/`:
`partners` (who may call, with which limits), `keys` (keys, usage plans),
`models` (gateway validation), `gateway` (routes, stage, logs), `errors` (gateway responses),
`waf` (the web ACL), `account` (the account's API Gateway logging role); and in
`stacks/realtime/`: `anomaly` (anomaly detection on the transactions stream) and
`aggregation` (the 5-minute roll-up).
"""

from __future__ import annotations

from constructs import Construct

from stacks.api.account import ApiGatewayLogging
from stacks.api.errors import GATEWAY_ERRORS
from stacks.api.gateway import PartnerApi, Route
from stacks.api.keys import PartnerKeys
from stacks.api.models import TRANSACTION_SCHEMA, UPLOAD_SCHEMA
from stacks.api.partners import PARTNERS
from stacks.api.waf import ApiFirewall
from stacks.base import PipelineStack
from stacks.config import WorkspaceConfig
from stacks.constructs.policy import Statement
from stacks.constructs.python_function import FunctionSpec, PythonFunction
from stacks.observability.registry import Monitored, WatchedApi, WatchedQueue
from stacks.processing.stack import METRICS_NAMESPACE, ProcessingStack
from stacks.quotas import Reservation
from stacks.realtime.aggregation import AggregationSchedule
from stacks.realtime.anomaly import AnomalyStream
from stacks.storage.stack import StorageStack
from txnpipe.api import routes
from txnpipe.environment import HandlerEnvironment
from txnpipe.function_environments import (
    AggregatorEnvironment,
    AnomalyDetectorEnvironment,
    ApiIngestEnvironment,
    ApiStatusEnvironment,
    ApiUploadsEnvironment,
)
from txnpipe.layout import API_ARCHIVE_PREFIX, UPLOAD_REF_INDEX, UPLOADS_PREFIX

# The stage admits 200 req/s (partners.STAGE_RATE_PER_S); at <= 0.5 s per request that is 100 in flight.
INGEST_RESERVATION = Reservation(per_workspace={"staging": 20, "prod": 100},
                                 reason="guarantee: a burst of file validations cannot starve POST /transactions")
API_INGEST = FunctionSpec(name="api_ingest", environment=ApiIngestEnvironment,
                          description="POST /transactions: validate, store once, archive, announce",
                          memory_mb=512, timeout_s=10, reservation=INGEST_RESERVATION)
API_UPLOADS = FunctionSpec(name="api_uploads", environment=ApiUploadsEnvironment,
                           description="POST /uploads: presigned SSE-KMS upload URL", memory_mb=256, timeout_s=10)
API_STATUS = FunctionSpec(name="api_status", environment=ApiStatusEnvironment,
                          description="GET /files/{id} and /transactions/{id} of the caller", memory_mb=256, timeout_s=10)
ANOMALY_DETECTOR = FunctionSpec(name="anomaly_detector", environment=AnomalyDetectorEnvironment,
                                description="Anomaly rules on new transactions; alerts once", memory_mb=512, timeout_s=60)
AGGREGATOR = FunctionSpec(name="aggregator", environment=AggregatorEnvironment,
                          description="Daily totals per account, merchant and currency", memory_mb=1024, timeout_s=240)


class ApiStack(PipelineStack):
    """REST API in front of the pipeline plus the real-time path; takes tables and buckets from `storage`."""

    def __init__(
        self, scope: Construct, *, config: WorkspaceConfig, storage: StorageStack, processing: ProcessingStack,
    ) -> None:
        super().__init__(scope, "api", config=config)
        self.storage = storage
        self.layer_arn = processing.layer.arn
        self.partner_keys = PartnerKeys(self, "partners", partners=PARTNERS, namer=self.namer)
        self._api()
        self.anomaly = AnomalyStream(
            self, "anomaly", function=self._function(ANOMALY_DETECTOR, AnomalyDetectorEnvironment(
                transactions_table=storage.transactions.name, audit_table=storage.audit.name,
                alert_topic_arn=storage.alerts.arn, powertools_metrics_namespace=METRICS_NAMESPACE)),
            storage=storage, namer=self.namer,
        )
        self.aggregation = AggregationSchedule(
            self, "aggregation", function=self._function(AGGREGATOR, AggregatorEnvironment(
                transactions_table=storage.transactions.name, aggregates_bucket=storage.processed.name,
                kms_key_arn=storage.kms.arn)),
            storage=storage, namer=self.namer,
        )
        self.monitored = Monitored(
            functions=list(self.functions),
            queues=[WatchedQueue(name=q.name, dlq=True) for q in (self.anomaly.dlq, self.aggregation.dlq)],
            apis=[WatchedApi(name=self.gateway.name, stage=self.gateway.stage_name)],
        )

    def _api(self) -> None:
        storage, keys = self.storage, self.partner_keys.mapping_json()
        ingest = self._function(API_INGEST, ApiIngestEnvironment(
            partner_keys=keys, transactions_table=storage.transactions.name, raw_bucket=storage.raw.name,
            kms_key_arn=storage.kms.arn, event_bus_name=storage.event_bus.name))
        ingest.grant(
            Statement(sid="StoreOnce", actions=["dynamodb:PutItem", "dynamodb:GetItem"],
                      resources=[storage.transactions.arn]),
            Statement(sid="ArchiveRaw", actions=["s3:PutObject"], resources=[f"{storage.raw.arn}/{API_ARCHIVE_PREFIX}/*"]),
            Statement(sid="Announce", actions=["events:PutEvents"], resources=[storage.event_bus.arn]),
            Statement(sid="UseDataKey", actions=["kms:Decrypt", "kms:GenerateDataKey"], resources=[storage.kms.arn]),
            name="ingest",
        )
        uploads = self._function(API_UPLOADS, ApiUploadsEnvironment(
            partner_keys=keys, raw_bucket=storage.raw.name, kms_key_arn=storage.kms.arn))
        uploads.grant(  # a presigned URL carries exactly the signer's permissions
            Statement(sid="SignUploads", actions=["s3:PutObject"], resources=[f"{storage.raw.arn}/{UPLOADS_PREFIX}/*"]),
            Statement(sid="EncryptUploads", actions=["kms:GenerateDataKey"], resources=[storage.kms.arn]),
            name="uploads",
        )
        status = self._function(API_STATUS, ApiStatusEnvironment(
            partner_keys=keys, files_table=storage.files.name, transactions_table=storage.transactions.name,
            files_upload_index=UPLOAD_REF_INDEX))
        status.grant(
            Statement(sid="ReadStatus", actions=["dynamodb:GetItem"],
                      resources=[storage.files.arn, storage.transactions.arn]),
            Statement(sid="FindUploadedFile", actions=["dynamodb:Query"],
                      resources=[f"{storage.files.arn}/index/{UPLOAD_REF_INDEX}"]),
            Statement(sid="UseDataKey", actions=["kms:Decrypt"], resources=[storage.kms.arn]),
            name="status",
        )
        logging = [ApiGatewayLogging(self, "apigw-account", namer=self.namer).account] \
            if self.config.owns_account_settings else []
        self.gateway = PartnerApi(
            self, "rest", name=self.namer.name("api"), stage_name=self.config.name,
            kms_key_arn=storage.kms.arn, log_retention_days=self.config.log_retention_days,
            depends_on_account=logging, gateway_errors=GATEWAY_ERRORS,
            routes=[
                Route(method="POST", path=routes.TRANSACTIONS, function=ingest, model=("Transaction", TRANSACTION_SCHEMA)),
                Route(method="GET", path=routes.TRANSACTION, function=status),
                Route(method="POST", path=routes.UPLOADS, function=uploads, model=("UploadRequest", UPLOAD_SCHEMA)),
                Route(method="GET", path=routes.FILE, function=status),
            ],
        )
        self.partner_keys.attach(api_id=self.gateway.api.id, stage=self.gateway.stage.stage_name, namer=self.namer)
        self.firewall = ApiFirewall(
            self, "waf", namer=self.namer, stage_arn=self.gateway.stage.arn, kms_key_arn=storage.kms.arn,
            retention_days=self.config.log_retention_days,
        )

    def _function(self, spec: FunctionSpec, environment: HandlerEnvironment) -> PythonFunction:
        return self.add_function(spec, environment=environment, kms_key_arn=self.storage.kms.arn, layer_arn=self.layer_arn)


"""Processing stack: the file pipeline (functions, state machine, routing, analytics catalog)."""

from __future__ import annotations

from collections.abc import Sequence

from constructs import Construct

from stacks.base import PipelineStack
from stacks.config import WorkspaceConfig
from stacks.constructs.layer import DependenciesLayer
from stacks.constructs.policy import Statement
from stacks.constructs.python_function import FunctionSpec, PythonFunction
from stacks.constructs.schedule import add_schedule
from stacks.constructs.secure_bucket import SecureBucket
from stacks.observability.registry import Monitored, WatchedQueue, WatchedStateMachine
from stacks.processing.analytics import TransactionsCatalog
from stacks.processing.definition import Targets, definition
from stacks.processing.functions import (
    LOAD,
    MERGE,
    PLAN,
    REGISTER,
    SLA_MONITOR,
    STATUS,
    SUMMARIZE,
    VALIDATE,
)
from stacks.processing.state_machine import FileStateMachine, UploadRouting
from stacks.storage.stack import StorageStack
from txnpipe.environment import HandlerEnvironment
from txnpipe.function_environments import (
    FileOutputEnvironment,
    FileStatusEnvironment,
    LoadTransactionsEnvironment,
    PlanChunksEnvironment,
    RegisterFileEnvironment,
    SlaMonitorEnvironment,
    SummarizeQuarantineEnvironment,
)
from txnpipe.layout import (
    CHUNK_PLAN_PREFIX,
    CHUNK_RESULTS_PREFIX,
    LOAD_RESULTS_PREFIX,
    MANIFEST_PREFIX,
    PROCESSED_PREFIX,
    QUARANTINE_PREFIX,
    STATUS_INDEX,
    UPLOADS_PREFIX,
)

METRICS_NAMESPACE = "txnpipe"


class ProcessingStack(PipelineStack):
    """Functions and orchestration that turn uploaded files into stored transactions."""

    def __init__(self, scope: Construct, *, config: WorkspaceConfig, storage: StorageStack) -> None:
        super().__init__(scope, "processing", config=config)
        self.storage = storage
        self.layer = DependenciesLayer(
            self, "deps-layer", name=self.namer.name("deps"), artifacts_bucket=storage.artifacts.name,
        )
        self._functions()
        self._orchestration()
        self._sla_check()
        self.catalog = TransactionsCatalog(
            self, "catalog", namer=self.namer, processed_bucket=storage.processed.name,
            results_bucket=storage.artifacts.name, kms_key_arn=storage.kms.arn, force_destroy=config.force_destroy,
        )
        self.monitored = Monitored(
            functions=self.functions,
            queues=[WatchedQueue(name=self.routing.dlq.name, dlq=True), WatchedQueue(name=self.sla_dlq.name, dlq=True)],
            state_machines=[WatchedStateMachine(name=self.state_machine.name, arn=self.state_machine.arn)],
        )

    def _functions(self) -> None:
        self._registration()
        self._validation()
        self._storing()

    def _registration(self) -> None:
        s = self.storage
        files, audit = s.files.arn, s.audit.arn
        self.register = self._function(REGISTER, RegisterFileEnvironment(
            files_table=s.files.name, audit_table=s.audit.name, large_file_bytes=self.config.large_file_bytes), [
            Statement(sid="RegisterFile", actions=["dynamodb:PutItem"], resources=[files, audit]),
            # An operator's reprocess request moves a terminal file back to RECEIVED (txnpipe.reprocess).
            Statement(sid="ReprocessFile", actions=["dynamodb:UpdateItem"], resources=[files])])
        self.file_status = self._function(STATUS, FileStatusEnvironment(files_table=s.files.name, audit_table=s.audit.name), [
            Statement(sid="UpdateFileStatus", actions=["dynamodb:UpdateItem"], resources=[files]),
            Statement(sid="AppendAudit", actions=["dynamodb:PutItem"], resources=[audit])])

    def _validation(self) -> None:
        s = self.storage
        processed, rejected = _objects(s.processed, PROCESSED_PREFIX), _objects(s.quarantine, QUARANTINE_PREFIX)
        plans, manifests = _objects(s.artifacts, CHUNK_PLAN_PREFIX), _objects(s.artifacts, MANIFEST_PREFIX)
        read_upload = Statement(sid="ReadUpload", actions=["s3:GetObject", "s3:GetObjectVersion"],
                                resources=[_objects(s.raw, UPLOADS_PREFIX)])
        write_outputs = Statement(sid="WriteOutputs", actions=["s3:PutObject"],
                                  resources=[processed, rejected, plans, manifests])
        outputs = FileOutputEnvironment(processed_bucket=s.processed.name, quarantine_bucket=s.quarantine.name,
                                        work_bucket=s.artifacts.name, powertools_metrics_namespace=METRICS_NAMESPACE)
        self.validate = self._function(VALIDATE, outputs, [read_upload, write_outputs])
        plan = PlanChunksEnvironment(work_bucket=s.artifacts.name, chunk_bytes=self.config.chunk_bytes)
        self.plan = self._function(PLAN, plan, [
            read_upload, Statement(sid="WriteManifest", actions=["s3:PutObject"], resources=[plans])])
        self.merge = self._function(MERGE, outputs, [write_outputs, Statement(
            sid="RewriteChunkOutputs", actions=["s3:GetObject", "s3:DeleteObject"],
            resources=[processed, rejected]), Statement(
            sid="ReadChunkResults", actions=["s3:GetObject"],
            resources=[_objects(s.artifacts, CHUNK_RESULTS_PREFIX), manifests])])

    def _storing(self) -> None:
        s = self.storage
        self.load = self._function(LOAD, LoadTransactionsEnvironment(
            transactions_table=s.transactions.name, files_table=s.files.name, quarantine_bucket=s.quarantine.name,
            powertools_metrics_namespace=METRICS_NAMESPACE), [
            Statement(sid="ReadProcessed", actions=["s3:GetObject"], resources=[_objects(s.processed, PROCESSED_PREFIX)]),
            # TransactWriteItems' Puts are authorized as dynamodb:PutItem; BatchGetItem finds what is kept.
            Statement(sid="StoreNewTransactions", actions=["dynamodb:BatchGetItem", "dynamodb:PutItem"],
                      resources=[s.transactions.arn]),
            Statement(sid="CountLoadedPart", actions=["dynamodb:UpdateItem"], resources=[s.files.arn]),
            Statement(sid="QuarantineConflicts", actions=["s3:PutObject"],
                      resources=[_objects(s.quarantine, QUARANTINE_PREFIX)])])
        self.summarize = self._function(SUMMARIZE, SummarizeQuarantineEnvironment(audit_table=s.audit.name), [
            Statement(sid="ReadQuarantine", actions=["s3:GetObject"], resources=[_objects(s.quarantine, QUARANTINE_PREFIX)]),
            Statement(sid="AppendAudit", actions=["dynamodb:PutItem"], resources=[s.audit.arn])])

    def _orchestration(self) -> None:
        s = self.storage
        targets = Targets(
            register=self.register.arn, status=self.file_status.arn, validate=self.validate.arn,
            plan_chunks=self.plan.arn, merge_chunks=self.merge.arn, load=self.load.arn,
            summarize=self.summarize.arn, event_bus=s.event_bus.name, alert_topic=s.alerts.arn,
            manifest_bucket=s.artifacts.name,
        )
        self.state_machine = FileStateMachine(
            self, "file-pipeline", namer=self.namer, config=self.config, account_id=s.account_id,
            definition=definition(targets), kms_key_arn=s.kms.arn, statements=[
                Statement(sid="InvokePipelineFunctions", actions=["lambda:InvokeFunction"],
                          resources=[a for f in self.functions for a in (f.arn, f"{f.arn}:*")]),
                Statement(sid="PublishFileProcessed", actions=["events:PutEvents"], resources=[s.event_bus.arn]),
                Statement(sid="AlertOnFailure", actions=["sns:Publish"], resources=[s.alerts.arn]),
                Statement(sid="EncryptForTopic", actions=["kms:Decrypt", "kms:GenerateDataKey"], resources=[s.kms.arn]),
                Statement(sid="ReadChunkManifest", actions=["s3:GetObject"],
                          resources=[_objects(s.artifacts, CHUNK_PLAN_PREFIX)]),
                Statement(sid="ReadProcessedManifest", actions=["s3:GetObject"],
                          resources=[_objects(s.artifacts, MANIFEST_PREFIX)]),
                # What AWS's "IAM policies for ResultWriter" asks for, on the two results prefixes only.
                Statement(sid="WriteMapResults", actions=[
                    "s3:PutObject", "s3:GetObject", "s3:ListMultipartUploadParts", "s3:AbortMultipartUpload"],
                    resources=[_objects(s.artifacts, p) for p in (CHUNK_RESULTS_PREFIX, LOAD_RESULTS_PREFIX)]),
            ],
        )
        self.routing = UploadRouting(
            self, "upload-routing", namer=self.namer, raw_bucket=s.raw.name,
            state_machine_arn=self.state_machine.arn, kms_key_arn=s.kms.arn,
            depends_on_machine=self.state_machine.machine,
        )

    def _sla_check(self) -> None:
        """Every 5 minutes, count files not terminal 15 minutes after upload (`FilesOverdue`)."""
        s = self.storage
        environment = SlaMonitorEnvironment(files_table=s.files.name, status_index=STATUS_INDEX,
                                            metrics_namespace=METRICS_NAMESPACE, workspace=self.config.name)
        monitor = self._function(SLA_MONITOR, environment, [
            Statement(sid="FindOpenFiles", actions=["dynamodb:Query"], resources=[f"{s.files.arn}/index/{STATUS_INDEX}"]),
            Statement(sid="PublishSla", actions=["cloudwatch:PutMetricData"], resources=["*"],
                      reason="cloudwatch:PutMetricData has no resource-level permissions (scoped by namespace)",
                      conditions={"StringEquals": {"cloudwatch:namespace": METRICS_NAMESPACE}})])
        _, self.sla_dlq = add_schedule(
            Construct(self, "sla-check"), function=monitor, namer=self.namer, purpose="sla-check",
            expression="rate(5 minutes)", input_json="{}", kms_key_arn=s.kms.arn,
        )

    def _function(self, spec: FunctionSpec, environment: HandlerEnvironment, grants: Sequence[Statement]) -> PythonFunction:
        function = self.add_function(spec, environment=environment, kms_key_arn=self.storage.kms.arn, layer_arn=self.layer.arn)
        function.grant(*grants, Statement(sid="UseDataKey", actions=["kms:Decrypt", "kms:GenerateDataKey"],
                                          resources=[self.storage.kms.arn]), name="data")
        return function


def _objects(bucket: SecureBucket, prefix: str) -> str:
    """IAM resource of every object under `prefix/` in `bucket`."""
    return f"{bucket.arn}/{prefix}/*"

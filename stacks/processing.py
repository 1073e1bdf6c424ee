"""Processing stack: the file pipeline (functions, state machine, routing)."""

from __future__ import annotations

from constructs import Construct

from stacks.base import PipelineStack
from stacks.config import WorkspaceConfig
from stacks.constructs.layer import DependenciesLayer
from stacks.constructs.policy import Statement
from stacks.constructs.python_function import FunctionSpec, PythonFunction
from stacks.storage import StorageStack

FILE_STATUS = FunctionSpec(
    name="file_status", description="Records a file's status change and its audit entry",
    memory_mb=256, timeout_s=30,
)


class ProcessingStack(PipelineStack):
    """Functions and orchestration that turn uploaded files into stored transactions."""

    def __init__(self, scope: Construct, *, config: WorkspaceConfig, storage: StorageStack) -> None:
        super().__init__(scope, "processing", config=config)
        self.storage = storage
        self.layer = DependenciesLayer(
            self, "deps-layer", name=self.namer.name("deps"), artifacts_bucket=storage.artifacts.name,
        )
        self.functions: list[PythonFunction] = []
        self.file_status = self._function(FILE_STATUS, FILES_TABLE=storage.files.name, AUDIT_TABLE=storage.audit.name)
        self.file_status.grant(
            Statement(sid="UpdateFileStatus", actions=["dynamodb:UpdateItem"], resources=[storage.files.arn]),
            Statement(sid="AppendAudit", actions=["dynamodb:PutItem"], resources=[storage.audit.arn]),
            Statement(sid="UseDataKey", actions=["kms:Decrypt", "kms:GenerateDataKey"], resources=[storage.kms.arn]),
            name="data",
        )

    def _function(self, spec: FunctionSpec, **environment: str) -> PythonFunction:
        spec = FunctionSpec(**{**spec.__dict__, "environment": {**spec.environment, **environment}})
        function = PythonFunction(
            self, spec.name.replace("_", "-"), spec=spec, namer=self.namer, config=self.config,
            kms_key_arn=self.storage.kms.arn, layers=[self.layer.arn],
        )
        self.functions.append(function)
        return function

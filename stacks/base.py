"""Common base of every stack: provider (with default tags), state backend, naming."""

from __future__ import annotations

import os

from cdktf import LocalBackend, S3Backend, TerraformStack
from cdktf_cdktf_provider_aws.provider import (
    AwsProvider,
    AwsProviderDefaultTags,
    AwsProviderEndpoints,
)
from constructs import Construct

from stacks.config import PROJECT, WorkspaceConfig
from stacks.constructs.python_function import FunctionSpec, PythonFunction
from stacks.naming import Namer
from txnpipe.environment import HandlerEnvironment

# Services the stacks use; the local workspace points each of them at the emulator.
_ENDPOINT_SERVICES = (
    "apigateway", "athena", "cloudwatch", "dynamodb", "events", "glue", "iam", "kms",
    "lambda_", "logs", "s3", "scheduler", "sfn", "sns", "sqs", "sts", "wafv2",
)
# Terraform runs in cdktf.out/stacks/<stack>/; state lives in <repo>/.state/<workspace>/.
_LOCAL_STATE_ROOT = "../../../.state"


class PipelineStack(TerraformStack):
    """A stack of the pipeline, bound to one workspace."""

    def __init__(self, scope: Construct, concern: str, *, config: WorkspaceConfig) -> None:
        stack_id = f"{concern}-{config.name}"
        super().__init__(scope, stack_id)
        self.config = config
        self.concern = concern
        self.namer = Namer(config.name)
        self.functions: list[PythonFunction] = []
        self._provider(config)
        self._backend(config, stack_id)

    def add_function(
        self, spec: FunctionSpec, *, environment: HandlerEnvironment, kms_key_arn: str, layer_arn: str,
    ) -> PythonFunction:
        """A Python Lambda of this stack (ID from its name, so its Terraform address is stable)."""
        function = PythonFunction(
            self, spec.slug, spec=spec, environment=environment, namer=self.namer,
            config=self.config, kms_key_arn=kms_key_arn, layers=[layer_arn],
        )
        self.functions.append(function)
        return function

    def _provider(self, config: WorkspaceConfig) -> None:
        tags = {
            "Project": PROJECT,
            "Environment": config.name,
            "Stack": self.concern,
            "ManagedBy": "cdktf",
            "CostCenter": config.cost_center,
            **config.extra_tags,
        }
        local = config.endpoint_url
        AwsProvider(
            self, "aws",
            region=config.region,
            default_tags=[AwsProviderDefaultTags(tags=tags)],
            endpoints=[AwsProviderEndpoints(**{s: local for s in _ENDPOINT_SERVICES})] if local else None,
            skip_credentials_validation=True if local else None,
            skip_requesting_account_id=True if local else None,
            skip_metadata_api_check="true" if local else None,
            skip_region_validation=True if local else None,
            s3_use_path_style=True if local else None,
        )

    def _backend(self, config: WorkspaceConfig, stack_id: str) -> None:
        bucket = os.environ.get("TF_STATE_BUCKET")
        if not bucket:
            LocalBackend(self, path=f"{_LOCAL_STATE_ROOT}/{config.name}/{stack_id}.tfstate")
            return
        backend = S3Backend(
            self,
            bucket=bucket,
            key=f"{PROJECT}/{config.name}/{self.concern}.tfstate",
            region=os.environ.get("TF_STATE_REGION", config.region),
            encrypt=True,
        )
        # S3-native locking (Terraform >= 1.10); the 0.21 binding has no field for it.
        backend.add_override("use_lockfile", True)

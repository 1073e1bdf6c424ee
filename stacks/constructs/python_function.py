"""One reusable construct for every Python Lambda function of the pipeline."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from cdktf import AssetType, TerraformAsset
from cdktf_cdktf_provider_aws.cloudwatch_log_group import CloudwatchLogGroup
from cdktf_cdktf_provider_aws.iam_role import IamRole
from cdktf_cdktf_provider_aws.iam_role_policy import IamRolePolicy
from cdktf_cdktf_provider_aws.lambda_function import (
    LambdaFunction,
    LambdaFunctionEnvironment,
    LambdaFunctionEphemeralStorage,
    LambdaFunctionTracingConfig,
)
from constructs import Construct

from stacks.config import WorkspaceConfig
from stacks.constructs.packaging import function_zip
from stacks.constructs.policy import XRAY_REASON, PolicyDocument, Statement, assume_role_policy
from stacks.naming import Namer, Service
from stacks.paths import BUILD_DIR, FUNCTIONS_DIR, SHARED_PACKAGES
from stacks.quotas import Reservation
from txnpipe.environment import HandlerEnvironment

RUNTIME = "python3.11"


@dataclass(frozen=True, kw_only=True)
class FunctionSpec:
    """What one function needs; everything else is a secure default of the construct."""

    name: str  # directory under functions/ holding handler.py
    description: str
    environment: type[HandlerEnvironment]  # what the handler reads from its environment
    memory_mb: int = 256
    timeout_s: int = 30
    ephemeral_storage_mb: int = 512
    # None: the function scales in the account's unreserved pool (most functions need nothing else).
    reservation: Reservation | None = None

    @property
    def slug(self) -> str:
        """`register-file` for `register_file`: the construct ID, and the purpose in physical names."""
        return self.name.replace("_", "-")

    def reserved_concurrency(self, workspace: str) -> int | None:
        """Reserved concurrent executions in `workspace` (None: unreserved)."""
        return self.reservation.for_workspace(workspace) if self.reservation else None


class PythonFunction(Construct):
    """Zip + role + log group (retention, CMK) + X-Ray + environment for one handler.

    The log group exists before the function so Lambda never creates an unmanaged,
    never-expiring one. `environment` is the handler's record (`spec.environment`) with the values
    of this deployment; it becomes the function's variables. Permissions are added with `grant`,
    one inline policy per grant.
    """

    def __init__(
        self, scope: Construct, id: str, *, spec: FunctionSpec, environment: HandlerEnvironment, namer: Namer,
        config: WorkspaceConfig, kms_key_arn: str, layers: Sequence[str] = (),
    ) -> None:
        super().__init__(scope, id)
        if type(environment) is not spec.environment:
            raise TypeError(f"{spec.name} reads a {spec.environment.__name__}, got a {type(environment).__name__}")
        self.spec = spec
        self.physical_name = namer.name(spec.slug, Service.LAMBDA)
        archive = function_zip(
            functions_dir=FUNCTIONS_DIR, function=spec.name, shared=SHARED_PACKAGES, out_dir=BUILD_DIR / "lambda",
        )
        code = TerraformAsset(self, "code", path=str(archive.path), type=AssetType.FILE)
        self.role = IamRole(
            self, "role", name=namer.name(f"{spec.slug}-fn", Service.IAM_ROLE),
            assume_role_policy=assume_role_policy("lambda.amazonaws.com"),
        )
        self.log_group = CloudwatchLogGroup(
            self, "logs", name=f"/aws/lambda/{self.physical_name}",
            retention_in_days=config.log_retention_days, kms_key_id=kms_key_arn,
        )
        base_policy = self.grant(
            Statement(sid="WriteOwnLogs", actions=["logs:CreateLogStream", "logs:PutLogEvents"],
                      resources=[f"{self.log_group.arn}:*"]),
            Statement(sid="TraceToXRay", actions=["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
                      resources=["*"], reason=XRAY_REASON),
            Statement(sid="DecryptEnvironment", actions=["kms:Decrypt"], resources=[kms_key_arn]),
            name="runtime",
        )
        env = {"POWERTOOLS_SERVICE_NAME": spec.name, "WORKSPACE": config.name, **environment.to_environ()}
        self.function = LambdaFunction(
            self, "function", function_name=self.physical_name, description=spec.description,
            role=self.role.arn, runtime=RUNTIME, handler=f"{spec.name}.handler.handler",
            filename=code.path, source_code_hash=archive.sha256_b64,
            memory_size=spec.memory_mb, timeout=spec.timeout_s, architectures=["x86_64"],
            ephemeral_storage=LambdaFunctionEphemeralStorage(size=spec.ephemeral_storage_mb),
            tracing_config=LambdaFunctionTracingConfig(mode="Active"),
            environment=LambdaFunctionEnvironment(variables=env), kms_key_arn=kms_key_arn,
            layers=list(layers) or None,
            reserved_concurrent_executions=spec.reserved_concurrency(config.name),
            depends_on=[self.log_group, base_policy],
        )
        self.arn = self.function.arn
        self.name = self.function.function_name

    def grant(self, *statements: Statement, name: str) -> IamRolePolicy:
        """Attach least-privilege `statements` to the function's role as inline policy `name`."""
        return IamRolePolicy(
            self, f"policy-{name}", name=name, role=self.role.id,
            policy=PolicyDocument(statements).to_json(),
        )

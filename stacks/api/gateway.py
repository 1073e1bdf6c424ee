"""The partner REST API: routes to functions, gateway validation, one stage, logs and tracing."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass

from cdktf import TerraformResourceLifecycle
from cdktf_cdktf_provider_aws.api_gateway_deployment import ApiGatewayDeployment
from cdktf_cdktf_provider_aws.api_gateway_integration import ApiGatewayIntegration
from cdktf_cdktf_provider_aws.api_gateway_method import ApiGatewayMethod
from cdktf_cdktf_provider_aws.api_gateway_method_settings import (
    ApiGatewayMethodSettings,
    ApiGatewayMethodSettingsSettings,
)
from cdktf_cdktf_provider_aws.api_gateway_model import ApiGatewayModel
from cdktf_cdktf_provider_aws.api_gateway_request_validator import ApiGatewayRequestValidator
from cdktf_cdktf_provider_aws.api_gateway_resource import ApiGatewayResource
from cdktf_cdktf_provider_aws.api_gateway_rest_api import (
    ApiGatewayRestApi,
    ApiGatewayRestApiEndpointConfiguration,
)
from cdktf_cdktf_provider_aws.api_gateway_stage import ApiGatewayStage, ApiGatewayStageAccessLogSettings
from cdktf_cdktf_provider_aws.cloudwatch_log_group import CloudwatchLogGroup
from cdktf_cdktf_provider_aws.lambda_permission import LambdaPermission
from constructs import Construct

from stacks.api.errors import GatewayError, errors_shape, gateway_responses
from stacks.api.models import schema_json
from stacks.api.partners import STAGE_BURST, STAGE_RATE_PER_S
from stacks.constructs.python_function import PythonFunction

INTEGRATION_TIMEOUT_MS = 29_000
# key → (construct id, name prefix, validate body, validate parameters)
VALIDATORS = {
    "body": ("validate-body", "body-and-parameters", True, True),
    "params": ("validate-params", "parameters-only", False, True),
}
# One JSON object per request; ids and the API key id, never bodies or key values.
ACCESS_LOG_FORMAT = json.dumps({
    "requestId": "$context.requestId", "extendedRequestId": "$context.extendedRequestId",
    "requestTime": "$context.requestTime", "ip": "$context.identity.sourceIp",
    "apiKeyId": "$context.identity.apiKeyId", "httpMethod": "$context.httpMethod",
    "resourcePath": "$context.resourcePath", "status": "$context.status",
    "responseLength": "$context.responseLength", "latencyMs": "$context.responseLatency",
    "integrationLatencyMs": "$context.integrationLatency", "integrationStatus": "$context.integrationStatus",
    "errorMessage": "$context.error.message", "validationError": "$context.error.validationErrorString",
    "xrayTraceId": "$context.xrayTraceId",
}, sort_keys=True)


@dataclass(frozen=True, kw_only=True)
class Route:
    """One method: `path` like `/files/{file_id}`, served by `function` (Lambda proxy)."""

    method: str
    path: str
    function: PythonFunction
    model: tuple[str, dict[str, object]] | None = None  # (model name, JSON schema) of the body

    @property
    def parameters(self) -> list[str]:
        """Path parameter names."""
        return [part[1:-1] for part in self.path.split("/") if part.startswith("{")]

    @property
    def slug(self) -> str:
        """`get-files-file_id` for GET /files/{file_id}: the route's part of its construct IDs."""
        return f"{self.method.lower()}{path_slug(self.path)}"


def path_slug(path: str) -> str:
    """`-files-file_id` for /files/{file_id}: a path's part of construct IDs."""
    return path.replace("/", "-").replace("{", "").replace("}", "")


class PartnerApi(Construct):
    """A regional REST API: every method needs an API key; bodies and path parameters are validated."""

    def __init__(
        self, scope: Construct, id: str, *, name: str, stage_name: str, routes: Sequence[Route],
        gateway_errors: Sequence[GatewayError], kms_key_arn: str, log_retention_days: int,
        depends_on_account: Sequence[object] = (),
    ) -> None:
        super().__init__(scope, id)
        self.name = name
        self.stage_name = stage_name
        self.api = ApiGatewayRestApi(
            self, "api", name=name, description="Partner API of the transaction pipeline",
            endpoint_configuration=ApiGatewayRestApiEndpointConfiguration(types=["REGIONAL"]),
            api_key_source="HEADER",
            lifecycle=TerraformResourceLifecycle(create_before_destroy=True),
        )
        self._resources: dict[str, str] = {"": self.api.root_resource_id}
        self.validators = {
            key: ApiGatewayRequestValidator(
                self, construct_id, rest_api_id=self.api.id, name=f"{name_prefix}-{stage_name}",
                validate_request_body=body, validate_request_parameters=parameters,
            ) for key, (construct_id, name_prefix, body, parameters) in VALIDATORS.items()
        }
        self.models: dict[str, ApiGatewayModel] = {}
        parts = [self._route(route) for route in routes]
        parts.append(list(gateway_responses(self, rest_api_id=self.api.id, errors=gateway_errors)))
        self.trigger = redeployment_digest(routes, gateway_errors)
        self._stage(parts, kms_key_arn, log_retention_days, depends_on_account)

    def _resource(self, path: str) -> str:
        if path not in self._resources:
            parent, _, part = path.rpartition("/")
            resource = ApiGatewayResource(
                self, f"resource{path_slug(path)}",
                rest_api_id=self.api.id, parent_id=self._resource(parent), path_part=part,
            )
            self._resources[path] = resource.id
        return self._resources[path]

    def _model(self, name: str, schema: dict[str, object]) -> str:
        if name not in self.models:
            self.models[name] = ApiGatewayModel(
                self, f"model-{name}", rest_api_id=self.api.id, name=name, content_type="application/json",
                schema=schema_json(schema),
            )
        return self.models[name].name

    def _route(self, route: Route) -> list[object]:
        slug = route.slug
        method = ApiGatewayMethod(
            self, f"method-{slug}", rest_api_id=self.api.id, resource_id=self._resource(route.path),
            http_method=route.method, authorization="NONE", api_key_required=True,
            request_validator_id=self.validators["body" if route.model else "params"].id,
            request_models={"application/json": self._model(*route.model)} if route.model else None,
            request_parameters={f"method.request.path.{p}": True for p in route.parameters} or None,
        )
        integration = ApiGatewayIntegration(
            self, f"integration-{slug}", rest_api_id=self.api.id, resource_id=method.resource_id,
            http_method=method.http_method, type="AWS_PROXY", integration_http_method="POST",
            uri=route.function.function.invoke_arn, timeout_milliseconds=INTEGRATION_TIMEOUT_MS,
        )
        path_glob = "/".join("*" if part.startswith("{") else part for part in route.path.split("/"))
        LambdaPermission(
            self, f"invoke-{slug}", statement_id=f"ApiGateway-{slug}", action="lambda:InvokeFunction",
            function_name=route.function.name, principal="apigateway.amazonaws.com",
            source_arn=f"{self.api.execution_arn}/*/{route.method}{path_glob}",
        )
        return [method, integration]

    def _stage(
        self, parts: list[list[object]], kms_key_arn: str, retention: int, depends_on_account: Sequence[object],
    ) -> None:
        deployment = ApiGatewayDeployment(
            self, "deployment", rest_api_id=self.api.id, triggers={"redeployment": self.trigger},
            lifecycle=TerraformResourceLifecycle(create_before_destroy=True),
            depends_on=[p for group in parts for p in group],  # type: ignore[misc]
        )
        self.access_logs = CloudwatchLogGroup(
            self, "access-logs", name=f"/aws/apigateway/{self.name}/access",
            retention_in_days=retention, kms_key_id=kms_key_arn,
        )
        # The execution-log group API Gateway would otherwise create itself (never expiring, no CMK).
        execution_logs = CloudwatchLogGroup(
            self, "execution-logs", name=f"API-Gateway-Execution-Logs_{self.api.id}/{self.stage_name}",
            retention_in_days=retention, kms_key_id=kms_key_arn,
        )
        self.stage = ApiGatewayStage(
            self, "stage", rest_api_id=self.api.id, deployment_id=deployment.id, stage_name=self.stage_name,
            xray_tracing_enabled=True,
            access_log_settings=ApiGatewayStageAccessLogSettings(
                destination_arn=self.access_logs.arn, format=ACCESS_LOG_FORMAT,
            ),
            depends_on=[*depends_on_account, execution_logs],  # type: ignore[list-item]
        )
        ApiGatewayMethodSettings(
            self, "method-settings", rest_api_id=self.api.id, stage_name=self.stage.stage_name, method_path="*/*",
            settings=ApiGatewayMethodSettingsSettings(
                # Errors only, into the managed group above; never request/response bodies.
                metrics_enabled=True, logging_level="ERROR", data_trace_enabled=False,
                throttling_rate_limit=STAGE_RATE_PER_S, throttling_burst_limit=STAGE_BURST,
            ),
        )


def redeployment_digest(routes: Sequence[Route], errors: Sequence[GatewayError]) -> str:
    """Hash of everything a deployment snapshots; any change to it must create a new deployment.

    API Gateway serves the stage's deployment, not the live configuration ("Deploy a REST API"
    in the Developer Guide): routes, validators, models, integrations and gateway responses only
    take effect once deployed again.
    """
    shape = {
        "routes": [(r.method, r.path, r.function.spec.name, r.parameters,
                    r.model and (r.model[0], schema_json(r.model[1]))) for r in routes],
        "integration_timeout_ms": INTEGRATION_TIMEOUT_MS,
        "validators": VALIDATORS,
        "gateway_responses": errors_shape(errors),
    }
    return hashlib.sha256(json.dumps(shape, sort_keys=True, default=str).encode()).hexdigest()

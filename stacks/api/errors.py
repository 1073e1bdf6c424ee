"""Gateway responses: the errors API Gateway answers itself, in the API's one error shape.

Partners get `{"message": str, "reasons": [str, ...], "request_id": str}` from every error, whether
a function refused the request (`txnpipe.api.http.HttpError`) or the gateway did (a validator, a
missing key, a throttle, a timeout). `GATEWAY_ERRORS` is the one table: response type → status →
message → where the reasons come from; `DEFAULT_4XX`/`DEFAULT_5XX` give every other type the shape.

AWS documents (Developer Guide, "Set up gateway responses to customize error responses" and
"x-amazon-apigateway-gateway-responses.responseTemplates") that a gateway response template is
*not* processed by the VTL engine: it supports only simple substitution of `$context.*`,
`$stageVariables.*` and method request parameters, so no `$util.escapeJavaScript`, `#if` or `#set`.
Hence the reasons are built from variables that are safe inside JSON as they are substituted:
`$context.error.messageString` is the *quoted* message, and `$context.error.validationErrorString`
(e.g. `[object has missing required properties ([\\"timestamp\\"])]`) goes inside a JSON string,
as AWS's own examples place it. Response types and default status codes: "Gateway response types
for API Gateway" (a `DEFAULT_*` status stays unset: setting it would change every 4XX/5XX).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:  # the table is read without jsii by `python -m contract` (docs/contract/openapi.json)
    from cdktf_cdktf_provider_aws.api_gateway_gateway_response import ApiGatewayGatewayResponse
    from constructs import Construct

# Where a response's reasons come from: none, the validator's details, or API Gateway's own message.
Reasons = Literal["none", "validation", "message"]
_REASONS: dict[str, str] = {
    "none": "[]",
    "validation": '["$context.error.validationErrorString"]',
    "message": "[$context.error.messageString]",
}
HEADERS = {"gatewayresponse.header.Cache-Control": "'no-store'"}  # as the functions answer


@dataclass(frozen=True, kw_only=True)
class GatewayError:
    """One gateway response: `status` None keeps each type's own code; `message` None keeps AWS's."""

    response_type: str
    status: int | None
    message: str | None
    reasons: Reasons = "none"

    def __post_init__(self) -> None:
        if self.message is not None and any(c in self.message for c in '$#"\\'):
            raise ValueError(f"{self.response_type}: message {self.message!r} must be plain text (no $ # \" \\)")
        if self.status is not None and not 400 <= self.status <= 599:
            raise ValueError(f"{self.response_type}: status {self.status} is not an error status")

    def template(self) -> str:
        """The `application/json` body template (simple substitution only, see the module docstring)."""
        message = json.dumps(self.message) if self.message is not None else "$context.error.messageString"
        return f'{{"message": {message}, "reasons": {_REASONS[self.reasons]}, "request_id": "$context.requestId"}}'


GATEWAY_ERRORS: tuple[GatewayError, ...] = (
    GatewayError(response_type="BAD_REQUEST_BODY", status=400, message="invalid request body", reasons="validation"),
    # AWS's message names the missing parameters: "Missing required request parameters: [file_id]".
    GatewayError(response_type="BAD_REQUEST_PARAMETERS", status=400, message="invalid request parameters",
                 reasons="message"),
    GatewayError(response_type="MISSING_AUTHENTICATION_TOKEN", status=403, message="unknown route or method"),
    GatewayError(response_type="INVALID_API_KEY", status=403, message="forbidden"),
    GatewayError(response_type="ACCESS_DENIED", status=403, message="forbidden"),
    GatewayError(response_type="WAF_FILTERED", status=403, message="forbidden"),
    GatewayError(response_type="THROTTLED", status=429, message="too many requests"),
    GatewayError(response_type="QUOTA_EXCEEDED", status=429, message="quota exceeded"),
    GatewayError(response_type="REQUEST_TOO_LARGE", status=413, message="request body too large"),
    GatewayError(response_type="INTEGRATION_TIMEOUT", status=504, message="request timed out"),
    GatewayError(response_type="DEFAULT_4XX", status=None, message=None),
    GatewayError(response_type="DEFAULT_5XX", status=None, message=None),
)


def gateway_responses(
    scope: Construct, *, rest_api_id: str, errors: Sequence[GatewayError],
) -> list[ApiGatewayGatewayResponse]:
    """One `aws_api_gateway_gateway_response` per entry of `errors`."""
    from cdktf_cdktf_provider_aws.api_gateway_gateway_response import ApiGatewayGatewayResponse

    return [
        ApiGatewayGatewayResponse(
            scope, f"response-{error.response_type.lower().replace('_', '-')}", rest_api_id=rest_api_id,
            response_type=error.response_type, status_code=str(error.status) if error.status else None,
            response_templates={"application/json": error.template()}, response_parameters=HEADERS,
        ) for error in errors
    ]


def errors_shape(errors: Sequence[GatewayError]) -> list[object]:
    """What of the gateway responses a deployment snapshot holds (hashed into the redeployment trigger)."""
    return [(e.response_type, e.status, e.template(), sorted(HEADERS.items())) for e in errors]

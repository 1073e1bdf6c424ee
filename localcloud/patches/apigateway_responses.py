"""Addition: API Gateway's own errors rendered through the API's gateway responses, as API Gateway does.

moto 5.2.5 stores gateway responses (`PutGatewayResponse`) but nothing renders them. When the
invoke route (`apigateway.py`) refuses a request itself, it raises `GatewayFailure(<type>)`, and
`render` answers like API Gateway ("Set up gateway responses to customize error responses",
"Gateway response types for API Gateway", Developer Guide):

* the response of that type, else of `DEFAULT_4XX`/`DEFAULT_5XX` by the type's default status,
  else API Gateway's built-in `{"message":$context.error.messageString}`;
* status: the type's configured `statusCode`, else the configured `DEFAULT_*` one, else the
  type's default (`DEFAULT_STATUS`); headers from `gatewayresponse.header.*` = `'static'` values;
* the template is *not* VTL: only simple substitution of `$context.*` and `$stageVariables.*`.
  `$context.error.messageString` is the quoted message; `$context.error.validationErrorString`
  is JSON-escaped (no quotes added), as API Gateway substitutes it into a JSON string. Anything
  else (`$util.*`, `$input.*`, `#set`, `#if`, `${...}`, an unknown variable) raises
  `TemplateError` naming it: in AWS it would not be evaluated, so it must not pass here.

Not rendered here: WAF, authorizers, integration response mapping (the API uses none).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

# Default status per response type (AWS "Gateway response types for API Gateway").
DEFAULT_STATUS = {
    "ACCESS_DENIED": 403, "API_CONFIGURATION_ERROR": 500, "BAD_REQUEST_BODY": 400, "BAD_REQUEST_PARAMETERS": 400,
    "EXPIRED_TOKEN": 403, "INTEGRATION_FAILURE": 504, "INTEGRATION_TIMEOUT": 504, "INVALID_API_KEY": 403,
    "INVALID_SIGNATURE": 403, "MISSING_AUTHENTICATION_TOKEN": 403, "QUOTA_EXCEEDED": 429, "REQUEST_TOO_LARGE": 413,
    "RESOURCE_NOT_FOUND": 404, "THROTTLED": 429, "UNAUTHORIZED": 401, "UNSUPPORTED_MEDIA_TYPE": 415,
    "WAF_FILTERED": 403, "DEFAULT_4XX": 400, "DEFAULT_5XX": 500,
}
BUILT_IN_TEMPLATE = '{"message":$context.error.messageString}'
_DOLLAR = re.compile(r"\$(context(?:\.[A-Za-z0-9_]+)+|stageVariables\.[A-Za-z0-9_]+)")
_DIRECTIVE = re.compile(r"#(?:set|if|elseif|else|end|foreach|macro|define|include|parse|stop|break|evaluate)\b|##|#\*")


class TemplateError(ValueError):
    """A gateway response template uses something API Gateway does not substitute."""


@dataclass(frozen=True)
class GatewayFailure(Exception):
    """API Gateway refusing a request itself: the response type, its message, the validator's details."""

    response_type: str
    message: str
    validation_error: str = ""
    status: int | None = None  # the answer's own status when it differs from the type's default


def substitute(template: str, variables: Mapping[str, str], *, where: str) -> str:
    """Simple `$context.*` / `$stageVariables.*` substitution; anything else raises `TemplateError`."""
    directive = _DIRECTIVE.search(template)
    if directive:
        raise TemplateError(f"{where}: VTL directive {directive.group(0)!r} is not processed in gateway responses")
    out, position = [], 0
    for match in re.finditer(r"\$", template):
        if match.start() < position:
            continue
        found = _DOLLAR.match(template, match.start())
        name = found.group(1) if found else template[match.start():match.start() + 30]
        if found is None or name not in variables:
            raise TemplateError(f"{where}: {name!r} is not a variable API Gateway substitutes in gateway responses "
                                f"(only simple $context.* and $stageVariables.*, no $util/$input/${{}})")
        out += [template[position:match.start()], variables[name]]
        position = found.end()
    return "".join([*out, template[position:]])


def variables(failure: GatewayFailure, context: Mapping[str, str]) -> dict[str, str]:
    """The substitution values: request context, the error variables, stage variables."""
    values = {f"context.{k}": v for k, v in context.items()}
    values.update({
        "context.error.message": failure.message,
        "context.error.messageString": json.dumps(failure.message),
        "context.error.responseType": failure.response_type,
        "context.error.validationErrorString": json.dumps(failure.validation_error)[1:-1],
    })
    return values


def render(api: Any, failure: GatewayFailure, context: Mapping[str, str]) -> tuple[int, dict[str, str], bytes]:
    """Status, headers and body API Gateway answers for `failure` on `api` (a moto RestAPI)."""
    configured: dict[str, Any] = getattr(api, "gateway_responses", {})
    own = configured.get(failure.response_type)
    base_status = failure.status or DEFAULT_STATUS.get(failure.response_type, 500)
    fallback = configured.get("DEFAULT_4XX" if base_status < 500 else "DEFAULT_5XX")
    chosen = own or fallback
    status = next((int(r.status_code) for r in (own, fallback) if r is not None and r.status_code), base_status)
    templates = (chosen.response_templates if chosen else None) or {"application/json": BUILT_IN_TEMPLATE}
    content_type, template = next(iter(templates.items()))
    where = f"gateway response {chosen.response_type if chosen else 'built-in'}"
    body = substitute(template, variables(failure, context), where=where)
    headers = {"Content-Type": content_type}
    for source in (fallback, own):
        headers.update(_headers(source.response_parameters if source else None, where=where))
    return status, headers, body.encode()


def _headers(parameters: Mapping[str, str] | None, *, where: str) -> dict[str, str]:
    out = {}
    for name, value in (parameters or {}).items():
        if not name.startswith("gatewayresponse.header."):
            raise TemplateError(f"{where}: response parameter {name!r} is not gatewayresponse.header.*")
        if not (len(value) >= 2 and value[0] == value[-1] == "'"):
            raise TemplateError(f"{where}: header value {value!r}: only 'static' values are emulated")
        out[name.removeprefix("gatewayresponse.header.")] = value[1:-1]
    return out

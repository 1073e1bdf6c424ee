"""Addition: invoking a deployed REST API over HTTP (moto 5.2.5 only does it in-process, without proxy integrations).

URL: `<endpoint>/restapis/<api_id>/<stage>/_user_request_/<path>` (LocalStack's form; `invoke_url()`).
For each request the emulator, like API Gateway:

* finds the stage (403 `Forbidden` when missing) and the resource: literal path parts before
  `{param}`, `{proxy+}` last; the method, else `ANY` (`MISSING_AUTHENTICATION_TOKEN`, 403);
* refuses a body over API Gateway's 10 MB payload quota (`REQUEST_TOO_LARGE`, 413);
* API keys: when the method requires one, `x-api-key` must be an enabled key attached to a usage
  plan that lists this API and stage; a missing or unknown key is `INVALID_API_KEY` (403
  `Forbidden`: "Gateway response types", "the gateway response for an invalid API key submitted
  for a method requiring an API key"; the Knowledge Center's 403 table lists both as Forbidden);
* stage/method throttling, usage-plan throttles and quotas (`apigateway_limits`: 429 `THROTTLED`
  / `QUOTA_EXCEEDED`);
* request validators: required `method.request.header|querystring|path.*` parameters
  (`BAD_REQUEST_PARAMETERS`, `Missing required request parameters: [...]`) and, for bodies, the
  request model's JSON schema for the request's content type (`BAD_REQUEST_BODY`, with
  `$context.error.validationErrorString` from `apigateway_validation`);
* `AWS_PROXY` integrations: invokes the Lambda function with the REST (payload 1.0) proxy event
  and maps `{statusCode, headers, multiValueHeaders, body, isBase64Encoded}` back; a function
  error or malformed answer is 502 `Internal server error` (`INTEGRATION_FAILURE`, falling back to
  `DEFAULT_5XX`); a run longer than the integration's `timeoutInMillis` is 504 `Endpoint request
  timed out` (`INTEGRATION_TIMEOUT`, answered after the run: the emulator cannot cut it short); a
  function without a resource-based permission for apigateway.amazonaws.com is 500
  (`API_CONFIGURATION_ERROR`), as in AWS (an empty account in the permission's SourceArn, as the
  provider builds it when it skips the account lookup, counts as the emulator's).
  `MOCK` integrations answer 200 `{}`.

Every refusal of the gateway itself is a `GatewayFailure`, rendered through the API's gateway
responses (`apigateway_responses`); its `$context.requestId` is the request's id, which is also
the proxy event's `requestContext.requestId` and the `x-amzn-RequestId` header. The emulator
serves the API's current configuration, not the stage's deployment snapshot. Every request a stage
answers publishes `AWS/ApiGateway` metrics (`localcloud.metrics.apigateway_requests`).
Other integration types, authorizers, mapping templates and stage variables are not implemented (501).
"""

from __future__ import annotations

import base64
import json
import re
import time
import uuid
from typing import Any
from urllib.parse import parse_qs

from localcloud import ACCOUNT_ID, arns, diagnostics
from localcloud.metrics import apigateway_requests
from localcloud.patches import apigateway_limits
from localcloud.patches.apigateway_responses import GatewayFailure, TemplateError, render
from localcloud.patches.apigateway_validation import validation_error_string

# DOTALL: a path parameter may hold a percent-encoded line break (`%0A`), which API Gateway routes like any
# other character; without it such a request fell through to moto and got its HTML 404.
_ROUTE = re.compile(r"^/restapis/([^/]+)/([^/]+)/_user_request_(/.*)?$", re.DOTALL)
MAX_PAYLOAD_BYTES = 10 * 1024 * 1024  # API Gateway quota: payload size 10 MB


def invoke_url(endpoint: str, api_id: str, stage: str) -> str:
    """Base URL of a deployed stage in the emulator."""
    return f"{endpoint}/restapis/{api_id}/{stage}/_user_request_"


class _Reply(Exception):
    def __init__(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        super().__init__(status)
        self.status, self.body, self.headers = status, body, headers or {}


def _match(api: Any, path: str) -> tuple[Any, dict[str, str]]:
    parts = [p for p in path.split("/") if p]
    best: tuple[tuple[int, ...], Any, dict[str, str]] | None = None
    for resource in api.resources.values():
        template = [p for p in resource.get_path().split("/") if p]
        params: dict[str, str] = {}
        score: list[int] = []
        ok = True
        for i, piece in enumerate(template):
            if piece.endswith("+}"):
                if i >= len(parts):
                    ok = False
                    break
                params[piece[1:-2]] = "/".join(parts[i:])
                score.append(0)
                break
            if i >= len(parts):
                ok = False
                break
            if piece.startswith("{"):
                params[piece[1:-1]] = parts[i]
                score.append(1)
            elif piece == parts[i]:
                score.append(2)
            else:
                ok = False
                break
        else:
            ok = ok and len(template) == len(parts)
        if ok and (best is None or tuple(score) > best[0]):
            best = (tuple(score), resource, params)
    if best is None:
        raise GatewayFailure("MISSING_AUTHENTICATION_TOKEN", "Missing Authentication Token")
    return best[1], best[2]


def _check_key(backend: Any, api_id: str, stage: str, key: str | None) -> tuple[str, Any]:
    """The key's id and the usage plan that admits it to this stage; INVALID_API_KEY otherwise."""
    match = next((k for k in backend.keys.values() if k.value == key and k.enabled), None) if key else None
    for plan_id, plan in backend.usage_plans.items() if match is not None else ():
        if match.id not in backend.usage_plan_keys.get(plan_id, {}):
            continue
        if any(s.get("apiId") == api_id and s.get("stage") == stage for s in plan.api_stages):
            return str(match.id), plan
    raise GatewayFailure("INVALID_API_KEY", "Forbidden")


def _validate(api: Any, method: Any, headers: dict[str, str], query: dict[str, list[str]],
              path_params: dict[str, str], body: bytes) -> None:
    validator = api.request_validators.get(method.request_validator_id) if method.request_validator_id else None
    if validator is None:
        return
    if validator.validate_request_parameters and method.request_parameters:
        missing = []
        for name, required in method.request_parameters.items():
            if not required:
                continue
            _, _, where, key = name.split(".", 3)
            present = {"header": key.lower() in headers, "querystring": key in query, "path": key in path_params}.get(where, True)
            if not present:
                missing.append(key)
        if missing:
            message = f"Missing required request parameters: [{', '.join(missing)}]"
            raise GatewayFailure("BAD_REQUEST_PARAMETERS", message, validation_error=message)
    if validator.validate_request_body and method.request_models:
        content_type = headers.get("content-type", "application/json").split(";")[0].strip() or "application/json"
        model_name = method.request_models.get(content_type) or method.request_models.get("$default")
        model = next((m for m in api.models.values() if m.name == model_name), None)
        if model is None or not model.schema:
            return
        details = validation_error_string(body, json.loads(model.schema))
        if details:
            raise GatewayFailure("BAD_REQUEST_BODY", "Invalid request body", validation_error=details)


def _allowed(fn: Any, source_arn: str) -> bool:
    import fnmatch

    for statement in fn.policy.statements if fn.policy else []:
        principal = statement.get("Principal", {})
        service = principal.get("Service") if isinstance(principal, dict) else principal
        if service != "apigateway.amazonaws.com":
            continue
        pattern = ((statement.get("Condition") or {}).get("ArnLike") or {}).get("AWS:SourceArn")
        if pattern is not None:
            # With skip_requesting_account_id the provider builds execution ARNs without the account.
            pattern = arns.with_account(pattern, ACCOUNT_ID)
        if pattern is None or fnmatch.fnmatchcase(source_arn, pattern):
            return True
    return False


def _proxy(environ: dict[str, Any], api: Any, stage: str, resource: Any, method_name: str, path: str,
           path_params: dict[str, str], headers: dict[str, str], query: dict[str, list[str]], body: bytes,
           api_key_id: str | None, region: str, request_id: str) -> tuple[int, dict[str, str], bytes]:
    from moto.awslambda.utils import get_backend

    from localcloud.patches import lambda_runtime

    integration = resource.resource_methods[method_name].method_integration
    if integration is None:
        raise GatewayFailure("API_CONFIGURATION_ERROR", "Internal server error")
    if integration.integration_type == "MOCK":
        return 200, {"Content-Type": "application/json"}, b"{}"
    if integration.integration_type != "AWS_PROXY":
        raise _Reply(501, {"message": f"integration type {integration.integration_type} is not emulated"})
    fn_arn = integration.uri.split("/functions/", 1)[1].rsplit("/invocations", 1)[0]
    fn = get_backend(ACCOUNT_ID, fn_arn.split(":")[3]).get_function(fn_arn)
    source_arn = f"arn:aws:execute-api:{region}:{ACCOUNT_ID}:{api.id}/{stage}/{method_name}{resource.get_path()}"
    if not _allowed(fn, source_arn):
        raise GatewayFailure("API_CONFIGURATION_ERROR", "Internal server error")
    text = body.decode("utf-8", errors="replace") if body else None
    event = {
        "resource": resource.get_path(), "path": path, "httpMethod": environ["REQUEST_METHOD"],
        "headers": headers or None, "multiValueHeaders": {k: [v] for k, v in headers.items()} or None,
        "queryStringParameters": {k: v[-1] for k, v in query.items()} or None,
        "multiValueQueryStringParameters": query or None, "pathParameters": path_params or None,
        "stageVariables": None, "body": text, "isBase64Encoded": False,
        "requestContext": {
            "resourceId": resource.id, "resourcePath": resource.get_path(), "httpMethod": environ["REQUEST_METHOD"],
            "path": f"/{stage}{path}", "stage": stage, "requestId": request_id, "accountId": ACCOUNT_ID,
            "apiId": api.id, "protocol": "HTTP/1.1", "requestTimeEpoch": int(time.time() * 1000),
            "identity": {"sourceIp": environ.get("REMOTE_ADDR", "127.0.0.1"), "apiKey": headers.get("x-api-key"),
                         "apiKeyId": api_key_id, "userAgent": headers.get("user-agent")},
        },
    }
    started = time.monotonic()
    result = lambda_runtime.run(fn, json.dumps(event))
    apigateway_requests.integration_took((time.monotonic() - started) * 1000)
    if (time.monotonic() - started) * 1000 > int(integration.timeout_in_millis or 29_000):
        raise GatewayFailure("INTEGRATION_TIMEOUT", "Endpoint request timed out")
    if result.error:
        raise GatewayFailure("INTEGRATION_FAILURE", "Internal server error", status=502)
    try:
        answer = json.loads(result.payload)
        status = int(answer.get("statusCode", 200))
        out_headers = {str(k): str(v) for k, v in (answer.get("headers") or {}).items()}
        for k, values in (answer.get("multiValueHeaders") or {}).items():
            out_headers[str(k)] = ",".join(map(str, values))
        raw = answer.get("body") or ""
        payload = base64.b64decode(raw) if answer.get("isBase64Encoded") else str(raw).encode()
    except (ValueError, TypeError, AttributeError):
        raise GatewayFailure("INTEGRATION_FAILURE", "Internal server error", status=502) from None
    return status, out_headers, payload


def handle(environ: dict[str, Any], api_id: str, stage: str, path: str,
           request_id: str = "") -> tuple[int, dict[str, str], bytes]:
    """Serve one request to a deployed REST API; the gateway's own refusals through its gateway responses."""
    from moto.apigateway.models import apigateway_backends

    region = next((r for r, b in apigateway_backends[ACCOUNT_ID].items() if api_id in b.apis), None)
    if region is None:
        raise _Reply(404, {"message": "Not Found"})
    backend = apigateway_backends[ACCOUNT_ID][region]
    api = backend.apis[api_id]
    if stage not in api.stages:
        raise _Reply(403, {"message": "Forbidden"})
    context = _context(environ, api_id, stage, path, request_id or str(uuid.uuid4()))
    started = time.monotonic()
    apigateway_requests.integration_started()
    try:
        answer = _serve(environ, backend, api, stage, path, context)
    except GatewayFailure as failure:
        answer = render(api, failure, context)
    with diagnostics.guarded("apigateway.metrics", f"{api_id}/{stage}"):
        apigateway_requests.publish(ACCOUNT_ID, region, api.name, stage, answer[0], (time.monotonic() - started) * 1000)
    return answer


def _context(environ: dict[str, Any], api_id: str, stage: str, path: str, request_id: str) -> dict[str, str]:
    """`$context.*` values a gateway response template may use (the ones this emulator knows)."""
    now = time.time()
    return {
        "requestId": request_id, "extendedRequestId": request_id, "apiId": api_id, "stage": stage,
        "accountId": ACCOUNT_ID, "httpMethod": environ["REQUEST_METHOD"], "path": f"/{stage}{path}",
        "resourcePath": path, "protocol": "HTTP/1.1", "requestTimeEpoch": str(int(now * 1000)),
        "requestTime": time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(now)),
        "identity.sourceIp": environ.get("REMOTE_ADDR", "127.0.0.1"),
        "identity.userAgent": environ.get("HTTP_USER_AGENT", ""), "identity.apiKeyId": "", "identity.apiKey": "",
    }


def _serve(environ: dict[str, Any], backend: Any, api: Any, stage: str, path: str,
           context: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
    length = int(environ.get("CONTENT_LENGTH") or 0)
    if length > MAX_PAYLOAD_BYTES:
        raise GatewayFailure("REQUEST_TOO_LARGE", "Request Too Long")
    body = environ["wsgi.input"].read(length) if length else b""
    headers = {k[5:].replace("_", "-").lower(): v for k, v in environ.items() if k.startswith("HTTP_")}
    if environ.get("CONTENT_TYPE"):
        headers["content-type"] = environ["CONTENT_TYPE"]
    query = parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True)
    resource, path_params = _match(api, path)
    context["resourcePath"], context["resourceId"] = resource.get_path(), resource.id
    method_name = environ["REQUEST_METHOD"]
    if method_name not in resource.resource_methods:
        method_name = "ANY"
        if method_name not in resource.resource_methods:
            raise GatewayFailure("MISSING_AUTHENTICATION_TOKEN", "Missing Authentication Token")
    method = resource.resource_methods[method_name]
    key_id, plan = _check_key(backend, api.id, stage, headers.get("x-api-key")) if method.api_key_required else (None, None)
    context["identity.apiKeyId"] = key_id or ""
    apigateway_limits.enforce(api_id=api.id, stage=api.stages[stage], resource_path=resource.get_path(),
                              method=method_name, plan=plan, key_id=key_id)
    _validate(api, method, headers, query, path_params, body)
    return _proxy(environ, api, stage, resource, method_name, path, path_params, headers, query, body, key_id,
                  backend.region_name, context["requestId"])


def wrap(app: Any) -> Any:
    """WSGI middleware serving `/restapis/<id>/<stage>/_user_request_/...`; everything else goes to moto."""

    def middleware(environ: dict[str, Any], start_response: Any) -> Any:
        match = _ROUTE.match(environ.get("PATH_INFO", ""))
        if not match:
            return app(environ, start_response)
        request_id = str(uuid.uuid4())
        try:
            status, headers, body = handle(environ, match.group(1), match.group(2), _text(match.group(3) or "/"),
                                           request_id)
        except _Reply as reply:
            status, headers = reply.status, {"Content-Type": "application/json", **reply.headers}
            body = json.dumps(reply.body).encode()
        except TemplateError as error:  # the deployed template uses what API Gateway would not substitute: loud
            status, headers, body = _internal_error(error)
        except Exception as error:  # an emulator bug: loud, and recorded as the emulator's fault
            diagnostics.record("apigateway.request", f"{environ['REQUEST_METHOD']} {environ.get('PATH_INFO')}", error)
            status, headers, body = _internal_error(error)
        headers.setdefault("Content-Type", "application/json")
        headers["x-amzn-RequestId"] = request_id
        headers["Content-Length"] = str(len(body))
        start_response(f"{status} {_REASONS.get(status, 'Status')}", list(headers.items()))
        return [body]

    return middleware


def _text(path: str) -> str:
    """The decoded path as text: WSGI hands it over as bytes read as Latin-1; API Gateway reads them as UTF-8."""
    return path.encode("latin-1").decode("utf-8", errors="replace")


def _internal_error(error: Exception) -> tuple[int, dict[str, str], bytes]:
    return 500, {"Content-Type": "application/json"}, json.dumps({"message": f"{type(error).__name__}: {error}"}).encode()


_REASONS = {200: "OK", 201: "Created", 202: "Accepted", 204: "No Content", 400: "Bad Request", 403: "Forbidden",
            404: "Not Found", 409: "Conflict", 413: "Payload Too Large", 422: "Unprocessable Entity",
            429: "Too Many Requests", 500: "Internal Server Error", 501: "Not Implemented", 502: "Bad Gateway",
            504: "Gateway Timeout"}

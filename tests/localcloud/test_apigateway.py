"""REST API invocation over HTTP: routing, API keys through usage plans, validators, AWS_PROXY to Lambda."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Sequence
from typing import Any

import boto3
import pytest

from localcloud.emulator import Emulator
from localcloud.patches.apigateway import invoke_url
from stacks.api.errors import GATEWAY_ERRORS, HEADERS, GatewayError
from tests.localcloud.helpers import function

ECHO = '''
import json, time
def handler(event, context):
    item = (event["pathParameters"] or {}).get("id")
    if item == "boom":
        raise RuntimeError("boom")
    if item == "slow":
        time.sleep(0.5)
    if item == "rid":
        return {"statusCode": 200, "body": json.dumps({"request_id": event["requestContext"]["requestId"]})}
    return {"statusCode": 201, "headers": {"x-echo": "yes"},
            "body": json.dumps({"path": event["path"], "params": event["pathParameters"], "resource": event["resource"],
                                "body": json.loads(event["body"]) if event["body"] else None,
                                "key": event["requestContext"]["identity"]["apiKey"]})}
'''
SCHEMA = {"$schema": "http://json-schema.org/draft-04/schema#", "type": "object", "required": ["amount"],
          "properties": {"amount": {"type": "number"}}}


@pytest.fixture(scope="module")
def echo(emulator: Emulator) -> str:
    return function("lc-apigw-echo", ECHO)


def make_api(emulator: Emulator, fn: str, name: str, *, plan: dict[str, Any] | None = None,
             responses: Sequence[GatewayError] = (), timeout_ms: int = 29_000) -> tuple[str, str, str]:
    """A REST API `/items/{id}` (GET, POST with model + required header) behind an API key; (url, key, api id)."""
    gw, lam = boto3.client("apigateway"), boto3.client("lambda")
    api_id = gw.create_rest_api(name=name)["id"]
    root = next(r["id"] for r in gw.get_resources(restApiId=api_id)["items"] if r["path"] == "/")
    items = gw.create_resource(restApiId=api_id, parentId=root, pathPart="items")["id"]
    item = gw.create_resource(restApiId=api_id, parentId=items, pathPart="{id}")["id"]
    gw.create_model(restApiId=api_id, name="Item", contentType="application/json", schema=json.dumps(SCHEMA))
    validator = gw.create_request_validator(restApiId=api_id, name="all", validateRequestBody=True,
                                            validateRequestParameters=True)["id"]
    uri = f"arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/{fn}/invocations"
    for method in ("POST", "GET"):
        gw.put_method(restApiId=api_id, resourceId=item, httpMethod=method, authorizationType="NONE",
                      apiKeyRequired=True, requestValidatorId=validator,
                      requestModels={"application/json": "Item"} if method == "POST" else {},
                      requestParameters={"method.request.header.Idempotency-Key": True} if method == "POST" else {})
        gw.put_integration(restApiId=api_id, resourceId=item, httpMethod=method, type="AWS_PROXY",
                           integrationHttpMethod="POST", uri=uri, timeoutInMillis=timeout_ms)
    for error in responses:
        gw.put_gateway_response(restApiId=api_id, responseType=error.response_type,
                                **({"statusCode": str(error.status)} if error.status else {}),
                                responseTemplates={"application/json": error.template()}, responseParameters=HEADERS)
    gw.create_deployment(restApiId=api_id, stageName="v1")
    key = gw.create_api_key(name=f"{name}-key", enabled=True)
    usage = gw.create_usage_plan(name=f"{name}-plan", apiStages=[{"apiId": api_id, "stage": "v1"}], **(plan or {}))
    gw.create_usage_plan_key(usagePlanId=usage["id"], keyId=key["id"], keyType="API_KEY")
    lam.add_permission(FunctionName=fn, StatementId=f"apigw-{api_id}", Action="lambda:InvokeFunction",
                       Principal="apigateway.amazonaws.com", SourceArn=f"arn:aws:execute-api:us-east-1:123456789012:{api_id}/*")
    return invoke_url(emulator.endpoint, api_id, "v1"), key["value"], api_id


@pytest.fixture(scope="module")
def api(emulator: Emulator, echo: str) -> tuple[str, str]:
    url, key, _ = make_api(emulator, echo, "lc-api")
    return url, key


def _call(url: str, method: str = "GET", body: object = None, headers: dict[str, str] | None = None) -> tuple[int, dict]:  # type: ignore[type-arg]
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method,  # noqa: S310 - loopback emulator
                                     headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - loopback emulator
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def test_proxy_integration_round_trip(api: tuple[str, str]) -> None:
    url, key = api
    status, body = _call(f"{url}/items/42", "POST", {"amount": 1.5}, {"x-api-key": key, "Idempotency-Key": "k1"})
    assert status == 201, body
    assert body == {"path": "/items/42", "params": {"id": "42"}, "resource": "/items/{id}", "body": {"amount": 1.5}, "key": key}


def test_a_path_parameter_with_a_line_break_and_non_ascii_text_is_routed_decoded(api: tuple[str, str]) -> None:
    # Given a request whose path parameter is percent-encoded UTF-8 with a line break in it
    url, key = api
    # When it is sent
    status, body = _call(f"{url}/items/a%0Ab%C3%A9", headers={"x-api-key": key})
    # Then it reaches the function, which sees the decoded text
    assert (status, body["params"]) == (201, {"id": "a\nbé"}), body


def test_api_key_required(api: tuple[str, str]) -> None:
    url, _ = api
    assert _call(f"{url}/items/42")[0] == 403
    assert _call(f"{url}/items/42", headers={"x-api-key": "nope"})[0] == 403


def test_validators(api: tuple[str, str]) -> None:
    url, key = api
    status, body = _call(f"{url}/items/1", "POST", {"amount": "x"}, {"x-api-key": key, "Idempotency-Key": "k"})
    assert (status, body) == (400, {"message": "Invalid request body"})
    status, body = _call(f"{url}/items/1", "POST", {"amount": 1}, {"x-api-key": key})
    assert status == 400 and "Idempotency-Key" in body["message"]


def test_unknown_route_and_function_error(api: tuple[str, str]) -> None:
    url, key = api
    assert _call(f"{url}/nothing", headers={"x-api-key": key}) == (403, {"message": "Missing Authentication Token"})
    assert _call(f"{url}/items/boom", headers={"x-api-key": key}) == (502, {"message": "Internal server error"})


# -- gateway responses: the stack's table, rendered as API Gateway renders it --------------------------------
def _exchange(url: str, method: str = "GET", body: object = None,
              headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], Any]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method,  # noqa: S310 - loopback emulator
                                     headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - loopback emulator
            return response.status, dict(response.headers), json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), json.loads(error.read() or b"null")


def assert_shape(headers: dict[str, str], body: Any) -> None:
    assert list(body) == ["message", "reasons", "request_id"], body
    assert isinstance(body["reasons"], list) and all(isinstance(r, str) for r in body["reasons"]), body
    assert body["request_id"] == headers["x-amzn-RequestId"], (body, headers)
    assert headers["Content-Type"] == "application/json" and headers["Cache-Control"] == "no-store"


@pytest.fixture(scope="module")
def shaped(emulator: Emulator, echo: str) -> tuple[str, str]:
    url, key, _ = make_api(emulator, echo, "lc-api-shaped", responses=GATEWAY_ERRORS)
    return url, key


def test_a_refused_body_answers_400_with_the_validators_reasons(shaped: tuple[str, str]) -> None:
    url, key = shaped
    status, headers, body = _exchange(f"{url}/items/1", "POST", {"amont": 1}, {"x-api-key": key, "Idempotency-Key": "k"})
    assert status == 400
    assert body["message"] == "invalid request body"
    assert body["reasons"] == ['[object has missing required properties (["amount"])]']
    assert_shape(headers, body)


def test_a_missing_parameter_names_it(shaped: tuple[str, str]) -> None:
    url, key = shaped
    status, headers, body = _exchange(f"{url}/items/1", "POST", {"amount": 1}, {"x-api-key": key})
    assert (status, body["reasons"]) == (400, ["Missing required request parameters: [Idempotency-Key]"])
    assert_shape(headers, body)


@pytest.mark.parametrize(("path", "key", "status", "message"), [
    ("/items/1", None, 403, "forbidden"),  # INVALID_API_KEY: no key
    ("/items/1", "not-a-key", 403, "forbidden"),  # INVALID_API_KEY: unknown key
    ("/nothing", "good", 403, "unknown route or method"),  # MISSING_AUTHENTICATION_TOKEN
    ("/items/boom", "good", 502, "Internal server error"),  # function error → DEFAULT_5XX, AWS's message
])
def test_every_gateway_refusal_has_the_one_error_shape(shaped: tuple[str, str], path: str, key: str | None,
                                                      status: int, message: str) -> None:
    url, good = shaped
    sent = {"x-api-key": good if key == "good" else key} if key else {}
    got_status, headers, body = _exchange(f"{url}{path}", headers=sent)
    assert (got_status, body["message"], body["reasons"]) == (status, message, [])
    assert_shape(headers, body)


def test_the_request_id_is_the_one_the_function_sees(shaped: tuple[str, str]) -> None:
    url, key = shaped
    status, headers, body = _exchange(f"{url}/items/rid", headers={"x-api-key": key})
    assert status == 200 and body["request_id"] == headers["x-amzn-RequestId"]


def test_an_integration_slower_than_its_timeout_answers_504(emulator: Emulator, echo: str) -> None:
    url, key, _ = make_api(emulator, echo, "lc-api-timeout", responses=GATEWAY_ERRORS, timeout_ms=100)
    status, headers, body = _exchange(f"{url}/items/slow", headers={"x-api-key": key})
    assert (status, body["message"]) == (504, "request timed out")
    assert_shape(headers, body)


@pytest.mark.parametrize(("template", "named"), [
    ('{"message": "$util.escapeJavaScript($context.error.message)"}', "util.escapeJavaScript"),
    ('#set($m = "x"){"message": "$m"}', "#set"),
    ('{"message": "$context.noSuchVariable"}', "context.noSuchVariable"),
])
def test_a_template_api_gateway_would_not_substitute_is_a_loud_error(emulator: Emulator, echo: str, template: str,
                                                                     named: str) -> None:
    url, _, api_id = make_api(emulator, echo, f"lc-api-vtl-{abs(hash(template)) % 10_000}")
    boto3.client("apigateway").put_gateway_response(restApiId=api_id, responseType="INVALID_API_KEY",
                                                    responseTemplates={"application/json": template})
    status, _, body = _exchange(f"{url}/items/1")
    assert status == 500 and "TemplateError" in body["message"] and named in body["message"], body


# -- usage-plan throttles and quotas, stage throttling: 429 --------------------------------------------------
def test_a_usage_plan_burst_is_a_token_bucket_that_answers_429_throttled(emulator: Emulator, echo: str) -> None:
    # Given a plan allowing a burst of 2 and (practically) no refill
    url, key, _ = make_api(emulator, echo, "lc-api-burst", responses=GATEWAY_ERRORS,
                           plan={"throttle": {"rateLimit": 0.001, "burstLimit": 2}})
    # When three requests come at once, Then the third is throttled in the one error shape
    statuses = [_exchange(f"{url}/items/1", headers={"x-api-key": key})[0] for _ in range(2)]
    status, headers, body = _exchange(f"{url}/items/1", headers={"x-api-key": key})
    assert (statuses, status, body["message"]) == ([201, 201], 429, "too many requests")
    assert_shape(headers, body)


@pytest.mark.parametrize(("offset", "allowed"), [(0, 3), (1, 2)])
def test_a_daily_quota_answers_429_quota_exceeded(emulator: Emulator, echo: str, offset: int, allowed: int) -> None:
    # Given a plan with 3 requests a day (minus `offset` in the first period)
    url, key, _ = make_api(emulator, echo, f"lc-api-quota-{offset}", responses=GATEWAY_ERRORS,
                           plan={"quota": {"limit": 3, "period": "DAY", "offset": offset}})
    # When four requests are sent, Then the ones past the quota answer 429 QUOTA_EXCEEDED
    answers = [_exchange(f"{url}/items/1", headers={"x-api-key": key}) for _ in range(4)]
    assert [a[0] for a in answers] == [201] * allowed + [429] * (4 - allowed)
    assert answers[-1][2]["message"] == "quota exceeded"
    assert_shape(answers[-1][1], answers[-1][2])


def test_stage_method_throttling_answers_429(emulator: Emulator, echo: str) -> None:
    url, key, api_id = make_api(emulator, echo, "lc-api-stage-throttle", responses=GATEWAY_ERRORS)
    boto3.client("apigateway").update_stage(restApiId=api_id, stageName="v1", patchOperations=[
        {"op": "replace", "path": "/*/*/throttling/burstLimit", "value": "1"},
        {"op": "replace", "path": "/*/*/throttling/rateLimit", "value": "0.001"}])
    first = _exchange(f"{url}/items/1", headers={"x-api-key": key})[0]
    second = _exchange(f"{url}/items/1", headers={"x-api-key": key})[0]
    assert (first, second) == (201, 429)

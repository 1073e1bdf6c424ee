"""REST API invocation over HTTP: routing, API keys through usage plans, validators, AWS_PROXY to Lambda."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import boto3
import pytest

from localcloud.emulator import Emulator
from localcloud.patches.apigateway import invoke_url
from tests.localcloud.helpers import function

ECHO = '''
import json
def handler(event, context):
    if event["pathParameters"] and event["pathParameters"].get("id") == "boom":
        raise RuntimeError("boom")
    return {"statusCode": 201, "headers": {"x-echo": "yes"},
            "body": json.dumps({"path": event["path"], "params": event["pathParameters"], "resource": event["resource"],
                                "body": json.loads(event["body"]) if event["body"] else None,
                                "key": event["requestContext"]["identity"]["apiKey"]})}
'''
SCHEMA = {"$schema": "http://json-schema.org/draft-04/schema#", "type": "object", "required": ["amount"],
          "properties": {"amount": {"type": "number"}}}


@pytest.fixture(scope="module")
def api(emulator: Emulator) -> tuple[str, str]:
    gw, lam = boto3.client("apigateway"), boto3.client("lambda")
    fn = function("lc-apigw-echo", ECHO)
    api_id = gw.create_rest_api(name="lc-api")["id"]
    root = next(r["id"] for r in gw.get_resources(restApiId=api_id)["items"] if r["path"] == "/")
    items = gw.create_resource(restApiId=api_id, parentId=root, pathPart="items")["id"]
    item = gw.create_resource(restApiId=api_id, parentId=items, pathPart="{id}")["id"]
    gw.create_model(restApiId=api_id, name="Item", contentType="application/json", schema=json.dumps(SCHEMA))
    validator = gw.create_request_validator(restApiId=api_id, name="all", validateRequestBody=True,
                                            validateRequestParameters=True)["id"]
    uri = f"arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/{fn}/invocations"
    for resource, method in ((item, "POST"), (item, "GET")):
        gw.put_method(restApiId=api_id, resourceId=resource, httpMethod=method, authorizationType="NONE",
                      apiKeyRequired=True, requestValidatorId=validator,
                      requestModels={"application/json": "Item"} if method == "POST" else {},
                      requestParameters={"method.request.header.Idempotency-Key": True} if method == "POST" else {})
        gw.put_integration(restApiId=api_id, resourceId=resource, httpMethod=method, type="AWS_PROXY",
                           integrationHttpMethod="POST", uri=uri)
    gw.create_deployment(restApiId=api_id, stageName="v1")
    key = gw.create_api_key(name="lc-key", enabled=True)
    plan = gw.create_usage_plan(name="lc-plan", apiStages=[{"apiId": api_id, "stage": "v1"}])
    gw.create_usage_plan_key(usagePlanId=plan["id"], keyId=key["id"], keyType="API_KEY")
    lam.add_permission(FunctionName=fn, StatementId="apigw", Action="lambda:InvokeFunction",
                       Principal="apigateway.amazonaws.com", SourceArn=f"arn:aws:execute-api:us-east-1:123456789012:{api_id}/*")
    return invoke_url(emulator.endpoint, api_id, "v1"), key["value"]


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

"""OpenAPI 3.1 description of the partner API: four operations, the API-key header, every response."""

from __future__ import annotations

from dataclasses import fields
from typing import Any, Final

from contract.api_bodies import components
from contract.api_operations import (
    NOT_PER_OPERATION,
    OPERATIONS,
    Operation,
    check_routes,
    gateway_errors,
    gateway_when,
)
from contract.fields import EXAMPLE
from stacks.api.errors import GATEWAY_ERRORS
from stacks.api.partners import PARTNERS, STAGE_BURST, STAGE_RATE_PER_S
from stacks.config import WORKSPACE_NAMES, WorkspaceConfig
from txnpipe.api.routes import API_KEY_HEADER
from txnpipe.domain.version import CONTRACT_VERSION

FILE_NAME: Final = "openapi.json"
_REQUEST_ID: Final = "4f5a7f0e-2f9b-4c1e-9d43-0c8c2f6b1a77"
_HEADERS: Final = {
    "Cache-Control": {"schema": {"const": "no-store"}, "description": "every answer, functions and gateway alike"},
    "x-amzn-RequestId": {"schema": {"type": "string"}, "description": "the request id (an error's request_id)"},
}
_HEADER_REFS: Final = {name: {"$ref": f"#/components/headers/{name}"} for name in _HEADERS}


def _json(schema: str, examples: dict[str, Any] | None = None) -> dict[str, Any]:
    content: dict[str, Any] = {"schema": {"$ref": f"#/components/schemas/{schema}"}}
    if examples:
        content["examples"] = {name: {"value": value} for name, value in examples.items()}
    return {"application/json": content}


def _error(message: str | None, reasons: tuple[str, ...] | list[str]) -> dict[str, Any]:
    return {"message": message or "(API Gateway's own message)", "reasons": list(reasons), "request_id": _REQUEST_ID}


def _errors(operation: Operation) -> dict[str, list[tuple[str, str, dict[str, Any]]]]:
    """status → [(source, when, example body)] for the function's refusals and the gateway's answers."""
    answers = {str(status): [("function", r.when, _error(r.message, r.reasons)),
                             *((f"function ({message})", r.when, _error(message, reasons)) for message, reasons in r.also)]
               for status, r in operation.refusals.items()}
    for error in gateway_errors(operation):
        status = str(error.status) if error.status else error.response_type.removeprefix("DEFAULT_")
        reasons = ["(the validator's message)"] if error.reasons != "none" else []
        answers.setdefault(status, []).append((f"gateway {error.response_type}", gateway_when(error),
                                               _error(error.message, reasons)))
    return answers


def _responses(operation: Operation) -> dict[str, Any]:
    responses: dict[str, Any] = {
        str(status): {"description": why, "headers": _HEADER_REFS, "content": _json(schema)}
        for status, (schema, why) in sorted(operation.success.items())
    }
    for status, answers in sorted(_errors(operation).items()):
        why = "; ".join(dict.fromkeys(f"{source.split(' (')[0]}: {when}" for source, when, _ in answers))
        examples = {source: body for source, _, body in answers}
        responses[status] = {"description": why, "headers": _HEADER_REFS, "content": _json("Error", examples)}
    return responses


def _operation(operation: Operation) -> dict[str, Any]:
    parameters = [{"name": part[1:-1], "in": "path", "required": True, "schema": {"type": "string"}}
                  for part in operation.path.split("/") if part.startswith("{")]
    body: dict[str, Any] = {}
    if operation.request == "Transaction":
        body = {"requestBody": {"required": True, "content": _json("Transaction", {"transaction": dict(EXAMPLE)})}}
    elif operation.request is not None:
        body = {"requestBody": {"required": False, "content": _json(operation.request, {"csv": {"format": "csv"}})}}
    return {"operationId": operation.operation_id, "summary": operation.summary,
            **({"parameters": parameters} if parameters else {}), **body, "responses": _responses(operation)}


def _description() -> str:
    plans = "; ".join(f"{p.partner_id}: {p.rate_per_s:g} requests/s, burst {p.burst}, {p.quota_per_day} a day"
                      for p in PARTNERS)
    unrouted = ", ".join(e.response_type for e in GATEWAY_ERRORS if e.response_type in NOT_PER_OPERATION)
    return (
        f"Partner REST API of the txnpipe transaction pipeline (data contract {CONTRACT_VERSION}). Every request "
        f"carries the partner's API key in `{API_KEY_HEADER}`; the key decides the partner (never the request). "
        f"Usage plans: {plans}; the stage admits {STAGE_RATE_PER_S} requests/s, burst {STAGE_BURST}. Every "
        f"error, from a function or from API Gateway itself, has the body `Error`. Unknown routes and methods "
        f"answer 403 `unknown route or method` ({unrouted})."
    )


def openapi() -> dict[str, Any]:
    """The whole OpenAPI document."""
    check_routes()
    region = next(f.default for f in fields(WorkspaceConfig) if f.name == "region")
    paths: dict[str, dict[str, Any]] = {}
    for operation in OPERATIONS:
        paths.setdefault(operation.path, {})[operation.method.lower()] = _operation(operation)
    return {
        "openapi": "3.1.0",
        "info": {"title": "txnpipe partner API", "version": CONTRACT_VERSION, "description": _description()},
        "servers": [{
            "url": "https://{api_id}.execute-api.{region}.amazonaws.com/{stage}",
            "variables": {"api_id": {"default": "api-id", "description": "the REST API id (terraform output)"},
                          "region": {"default": str(region)},
                          "stage": {"default": "prod", "enum": [n for n in WORKSPACE_NAMES if n != "local"]}},
        }],
        "security": [{"apiKey": []}],
        "paths": paths,
        "components": {
            "securitySchemes": {"apiKey": {"type": "apiKey", "in": "header", "name": API_KEY_HEADER}},
            "headers": _HEADERS,
            "schemas": components(),
        },
        "x-contract-version": CONTRACT_VERSION,
    }

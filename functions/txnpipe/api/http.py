"""API Gateway (REST, Lambda proxy) events in, proxy responses out.

Every error a partner can get, from a function or from the gateway itself, has one JSON shape:
`{"message": str, "reasons": [str, ...], "request_id": str}` (`ERROR_FIELDS`). The gateway's own
answers are rendered in that shape by the gateway responses of `stacks/api/errors.py`.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

JSON_HEADERS = {"Content-Type": "application/json", "Cache-Control": "no-store"}
ERROR_FIELDS = ("message", "reasons", "request_id")


@dataclass(frozen=True)
class HttpError(Exception):
    """An answer other than success, with the reasons the client may read."""

    status: int
    message: str
    reasons: tuple[str, ...] = ()

    def response(self, event: Mapping[str, Any]) -> dict[str, Any]:
        """The proxy response for this error to `event`: always message, reasons (maybe empty), request id."""
        return respond(self.status, error_body(self.message, self.reasons, request_id(event)))


def error_body(message: str, reasons: tuple[str, ...], request_id: str) -> dict[str, Any]:
    """The one error shape (`ERROR_FIELDS`), shared with the gateway responses."""
    return dict(zip(ERROR_FIELDS, (message, list(reasons), request_id), strict=True))


def request_id(event: Mapping[str, Any]) -> str:
    """API Gateway's id of this request (`$context.requestId`), the one partners quote to support."""
    value = (event.get("requestContext") or {}).get("requestId")
    return value if isinstance(value, str) else ""


def respond(status: int, body: Mapping[str, Any], headers: Mapping[str, str] | None = None) -> dict[str, Any]:
    """A Lambda proxy response with a JSON body."""
    return {
        "statusCode": status,
        "headers": {**JSON_HEADERS, **(headers or {})},
        "body": json.dumps(body, sort_keys=True, default=_jsonable),
    }


def _jsonable(value: object) -> object:
    # DynamoDB numbers come back as Decimal; ours are integers (minor units, counts).
    from decimal import Decimal

    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else str(value)
    if isinstance(value, set):
        return sorted(value)
    raise TypeError(f"not JSON serializable: {type(value).__name__}")


def body_bytes(event: Mapping[str, Any], *, limit: int) -> bytes:
    """The raw request body; 413 when longer than `limit` bytes, 400 when absent."""
    raw = event.get("body")
    if raw is None or raw == "":
        raise HttpError(400, "invalid request", ("body: required",))
    data = base64.b64decode(raw) if event.get("isBase64Encoded") else str(raw).encode("utf-8")
    if len(data) > limit:
        raise HttpError(413, "request body too large", (f"body: larger than {limit} bytes",))
    return data


def path_parameter(event: Mapping[str, Any], name: str) -> str:
    """A path parameter (API Gateway only routes when it is present)."""
    value = (event.get("pathParameters") or {}).get(name)
    if not isinstance(value, str) or not value:
        raise HttpError(400, "invalid request", (f"{name}: required",))
    return value


def api_key_id(event: Mapping[str, Any]) -> str | None:
    """The id (not the secret value) of the API key API Gateway accepted for this request."""
    identity = (event.get("requestContext") or {}).get("identity") or {}
    value = identity.get("apiKeyId")
    return value if isinstance(value, str) and value else None

"""API Gateway (REST, Lambda proxy) events in, proxy responses out."""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

JSON_HEADERS = {"Content-Type": "application/json", "Cache-Control": "no-store"}


@dataclass(frozen=True)
class HttpError(Exception):
    """An answer other than success, with the reasons the client may read."""

    status: int
    message: str
    reasons: tuple[str, ...] = ()

    def response(self) -> dict[str, Any]:
        """The proxy response for this error."""
        body: dict[str, Any] = {"message": self.message}
        if self.reasons:
            body["reasons"] = list(self.reasons)
        return respond(self.status, body)


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

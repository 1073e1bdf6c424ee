"""AWS clients, created lazily once per process (never at import time).

Endpoints and credentials come from the environment as boto3 reads them, so the same
code talks to AWS or to the local emulator (`AWS_ENDPOINT_URL`).
"""

from __future__ import annotations

from functools import cache
from typing import Any

import boto3


@cache
def client(service: str) -> Any:
    """A cached boto3 client for `service`."""
    return boto3.client(service)  # type: ignore[call-overload]


@cache
def table(name: str) -> Any:
    """A cached DynamoDB Table resource."""
    return boto3.resource("dynamodb").Table(name)


def reset() -> None:
    """Forget cached clients (tests switch endpoints between cases)."""
    client.cache_clear()
    table.cache_clear()

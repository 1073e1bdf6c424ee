"""moto set-up shared by the handler, pipeline and IAM tests: fake credentials, no real endpoints."""

from __future__ import annotations

from typing import Any

import boto3
import pytest

FAKE_ENV = {"AWS_DEFAULT_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
            "POWERTOOLS_TRACE_DISABLED": "1", "POWERTOOLS_METRICS_NAMESPACE": "txnpipe-test"}


def use_fake_aws(monkeypatch: pytest.MonkeyPatch) -> None:
    """Point boto3 at moto only: fake credentials, and nothing that could reach a real endpoint."""
    for key, value in FAKE_ENV.items():
        monkeypatch.setenv(key, value)
    for key in ("AWS_ENDPOINT_URL", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(key, raising=False)


def create_table(name: str, hash_key: str, range_key: str | None = None) -> Any:
    """An on-demand table with string keys."""
    keys = [{"AttributeName": hash_key, "KeyType": "HASH"}]
    attributes = [{"AttributeName": hash_key, "AttributeType": "S"}]
    if range_key:
        keys.append({"AttributeName": range_key, "KeyType": "RANGE"})
        attributes.append({"AttributeName": range_key, "AttributeType": "S"})
    return boto3.resource("dynamodb").create_table(
        TableName=name, KeySchema=keys, AttributeDefinitions=attributes, BillingMode="PAY_PER_REQUEST")

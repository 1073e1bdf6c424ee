"""moto set-up shared by the handler, pipeline and IAM tests: fake credentials, no real endpoints."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import boto3
import pytest

from localcloud.patches import dynamodb_transactions
from stacks.constructs.table import TableSpec

FAKE_ENV = {"AWS_DEFAULT_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
            "POWERTOOLS_TRACE_DISABLED": "1", "POWERTOOLS_METRICS_NAMESPACE": "txnpipe-test"}


def use_fake_aws(monkeypatch: pytest.MonkeyPatch) -> None:
    """Point boto3 at moto only: fake credentials, and nothing that could reach a real endpoint."""
    for key, value in FAKE_ENV.items():
        monkeypatch.setenv(key, value)
    for key in ("AWS_ENDPOINT_URL", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(key, raising=False)
    # The emulator's TransactWriteItems (all-or-nothing as AWS; moto's copies whole tables per transaction).
    dynamodb_transactions.install()


def create_table(spec: TableSpec, name: str | None = None) -> Any:
    """The table `spec` defines (keys and indexes; all keys strings, as in PipelineTable), named `name` or its purpose."""
    keys = [spec.hash_key, spec.range_key, *(k for index in spec.indexes for k in (index.hash_key, index.range_key))]
    args: dict[str, Any] = {
        "TableName": name or spec.purpose, "BillingMode": "PAY_PER_REQUEST",
        "KeySchema": _key_schema(spec.hash_key, spec.range_key),
        "AttributeDefinitions": [{"AttributeName": k, "AttributeType": "S"} for k in sorted({k for k in keys if k})],
    }
    if spec.indexes:
        args["GlobalSecondaryIndexes"] = [
            {"IndexName": i.name, "KeySchema": _key_schema(i.hash_key, i.range_key), "Projection": _projection(i.include)}
            for i in spec.indexes]
    return boto3.resource("dynamodb").create_table(**args)


def _projection(include: Sequence[str]) -> dict[str, Any]:
    if include:
        return {"ProjectionType": "INCLUDE", "NonKeyAttributes": sorted(include)}
    return {"ProjectionType": "ALL"}


def _key_schema(hash_key: str, range_key: str | None) -> list[dict[str, str]]:
    return [{"AttributeName": hash_key, "KeyType": "HASH"}] + (
        [{"AttributeName": range_key, "KeyType": "RANGE"}] if range_key else [])

"""GET /files/{id} and GET /transactions/{id}: own records only; others' look unknown (404)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from stacks.storage.stack import FILES
from tests.fake_aws import create_table
from tests.handlers.conftest import FakeContext
from tests.handlers.test_api_support import PARTNER_KEYS, api_event, assert_error_shape, create_transactions_table
from txnpipe.layout import UPLOAD_REF_INDEX

FILE = {"file_id": "f-1", "partner_id": "acme", "status": "COMPLETED_WITH_ERRORS", "rows_total": 10,
        "rows_valid": 8, "rows_rejected": 2, "reason": None, "updated_at": "2026-11-25T10:00:00.000000Z",
        "status_history": {"RECEIVED": "2026-11-25T09:59:00.000000Z"}, "bucket": "internal-detail"}


@pytest.fixture
def env(aws: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PARTNER_KEYS", json.dumps(PARTNER_KEYS))
    monkeypatch.setenv("FILES_TABLE", "files")
    monkeypatch.setenv("TRANSACTIONS_TABLE", "transactions")
    monkeypatch.setenv("FILES_UPLOAD_INDEX", UPLOAD_REF_INDEX)
    create_table(FILES).put_item(Item={k: v for k, v in FILE.items() if v is not None})
    create_transactions_table().put_item(Item={
        "transaction_key": "acme#T-1", "account_key": "acme#A1", "partner_id": "acme", "transaction_id": "T-1",
        "account_id": "A1", "amount": "12.50", "currency": "USD", "amount_minor": 1250,
        "timestamp_utc": "2026-11-25T09:00:00Z", "source": "api", "request_hash": "h"})


def get(resource: str, path: dict[str, str], key_id: str = "key-acme") -> tuple[int, dict[str, Any]]:
    from api_status.handler import handler

    response = handler(api_event("GET", resource, key_id=key_id, path=path), FakeContext())  # type: ignore[arg-type]
    return response["statusCode"], json.loads(response["body"])


def test_a_partner_reads_its_file_status_counts_and_history(env: None) -> None:
    # Given acme's file, When acme reads it
    status, body = get("/files/{file_id}", {"file_id": "f-1"})
    # Then it sees the status, counts and history, and no internal field
    assert status == 200
    assert body["status"] == "COMPLETED_WITH_ERRORS"
    assert (body["rows_total"], body["rows_valid"], body["rows_rejected"]) == (10, 8, 2)
    assert "RECEIVED" in body["status_history"]
    assert "bucket" not in body


def test_another_partners_file_is_indistinguishable_from_an_unknown_one(env: None) -> None:
    # Given acme's file, When globex asks for it and acme asks for an unknown one
    other = get("/files/{file_id}", {"file_id": "f-1"}, key_id="key-globex")
    unknown = get("/files/{file_id}", {"file_id": "f-404"})
    # Then both get the same 404 in the one error shape
    assert other == unknown
    assert other[0] == 404
    assert other[1]["message"] == "file not found"
    assert_error_shape(other[1])


def test_a_partner_reads_its_transaction(env: None) -> None:
    # Given acme's stored transaction, When acme reads it
    status, body = get("/transactions/{transaction_id}", {"transaction_id": "T-1"})
    # Then it sees it as stored, without the request hash
    assert status == 200
    assert body["status"] == "STORED"
    assert body["amount_minor"] == 1250
    assert "request_hash" not in body


def test_another_partners_transaction_is_not_found(env: None) -> None:
    # Given acme's transaction, When globex asks for it or acme for an unknown one, Then both are 404
    assert get("/transactions/{transaction_id}", {"transaction_id": "T-1"}, key_id="key-globex")[0] == 404
    assert get("/transactions/{transaction_id}", {"transaction_id": "T-2"})[0] == 404


def test_an_unmapped_key_is_forbidden(env: None) -> None:
    # Given an API key mapped to no partner, When it reads a file, Then 403 in the one error shape
    status, body = get("/files/{file_id}", {"file_id": "f-1"}, key_id="key-of-nobody")
    assert status == 403
    assert_error_shape(body)


@pytest.mark.parametrize(("resource", "path", "status"), [
    ("/transactions/{transaction_id}", {"transaction_id": "T-2"}, 404),  # unknown transaction
    ("/files/{file_id}", None, 400),  # no path parameter (the gateway always sends one)
    ("/other/{id}", {"id": "x"}, 404),  # a route this function does not serve
])
def test_every_error_has_the_one_error_shape(env: None, resource: str, path: dict[str, str] | None, status: int) -> None:
    # Given a request the function refuses, When it is handled, Then its status and the one error shape
    got_status, body = get(resource, path)  # type: ignore[arg-type]
    assert got_status == status
    assert_error_shape(body)


def test_an_upload_is_found_by_the_id_post_uploads_handed_out_newest_version_first(env: None) -> None:
    # Given two versions of uploads/acme/u-7.csv registered by the pipeline (hash file ids)
    import boto3

    table = boto3.resource("dynamodb").Table("files")
    for file_id, received, status in (("f-old", "2026-11-25T09:00:00Z", "COMPLETED"),
                                      ("f-new", "2026-11-25T10:00:00Z", "PROCESSING")):
        table.put_item(Item={"file_id": file_id, "partner_id": "acme", "upload_ref": "acme/u-7",
                             "received_at": received, "status": status, "updated_at": received})
    # When acme asks for u-7, Then it sees the newest version; another partner sees nothing
    status, body = get("/files/{file_id}", {"file_id": "u-7"})
    assert status == 200
    assert body["status"] == "PROCESSING"
    assert get("/files/{file_id}", {"file_id": "u-7"}, key_id="key-globex")[0] == 404


@pytest.fixture
def strict_key_sizes(monkeypatch: pytest.MonkeyPatch) -> None:
    """moto with the emulator's key-size limits (AWS refuses an oversized key on reads with a 400)."""
    from moto.dynamodb.models.table import Table

    from localcloud.patches import dynamodb_key_limits

    for name in ("get_item", "delete_item", "query"):
        monkeypatch.setattr(Table, name, getattr(Table, name))  # restored after the test
    monkeypatch.setattr(Table, dynamodb_key_limits.LIMITS_INSTALLED, False, raising=False)
    dynamodb_key_limits.install()


@pytest.mark.parametrize(("resource", "path"), [
    ("/transactions/{transaction_id}", {"transaction_id": "T" * 3000}),
    ("/transactions/{transaction_id}", {"transaction_id": "T 1"}),
    ("/files/{file_id}", {"file_id": "f" * 3000}),
])
def test_an_id_that_cannot_name_a_record_is_not_found_without_a_lookup(env: None, strict_key_sizes: None,
                                                                        resource: str, path: dict[str, str]) -> None:
    # When a partner asks for an id DynamoDB could not even look up (over its key size limit), Then 404
    assert get(resource, path)[0] == 404

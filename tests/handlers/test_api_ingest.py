"""POST /transactions against moto: validated, stored once, archived, announced; 400/409/413."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest

from tests.handlers.conftest import FakeContext
from tests.handlers.test_api_support import (
    BUS,
    PARTNER_KEYS,
    RAW_BUCKET,
    api_event,
    assert_error_shape,
    bus_capture_queue,
    create_transactions_table,
    drain,
)

GOOD = {"transaction_id": "T-1", "account_id": "A1", "amount": "12.50", "currency": "USD",
        "transaction_type": "DEBIT", "timestamp": "2026-11-25T10:00:00+01:00", "merchant_id": "M9"}


@pytest.fixture
def env(aws: None, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    kms = boto3.client("kms").create_key()["KeyMetadata"]["Arn"]
    for key, value in {"PARTNER_KEYS": json.dumps(PARTNER_KEYS), "TRANSACTIONS_TABLE": "transactions",
                       "RAW_BUCKET": RAW_BUCKET, "KMS_KEY_ARN": kms, "EVENT_BUS_NAME": BUS}.items():
        monkeypatch.setenv(key, value)
    boto3.client("s3").create_bucket(Bucket=RAW_BUCKET)
    return {"table": create_transactions_table(), "events": bus_capture_queue()}


def post(body: object = None, *, key_id: str | None = "key-acme", raw: str | None = None) -> tuple[int, dict[str, Any]]:
    from api_ingest.handler import handler

    response = handler(api_event("POST", "/transactions", key_id=key_id, body=body, raw=raw), FakeContext())  # type: ignore[arg-type]
    return response["statusCode"], json.loads(response["body"])


def archived() -> list[str]:
    return [o["Key"] for o in boto3.client("s3").list_objects_v2(Bucket=RAW_BUCKET).get("Contents", [])]


def test_a_valid_transaction_is_stored_archived_and_announced(env: dict[str, Any]) -> None:
    status, body = post(GOOD)
    assert status == 201 and body["transaction_id"] == "T-1" and body["status"] == "STORED"
    item = env["table"].get_item(Key={"transaction_key": "acme#T-1"})["Item"]
    assert item["account_key"] == "acme#A1" and item["partner_id"] == "acme" and item["source"] == "api"
    assert item["amount_minor"] == 1250 and item["signed_amount_minor"] == -1250
    assert item["timestamp_utc"] == "2026-11-25T09:00:00Z"
    (key,) = archived()
    assert key.startswith("api/acme/2026-11-25/T-1-")
    head = boto3.client("s3").head_object(Bucket=RAW_BUCKET, Key=key)
    assert head["ServerSideEncryption"] == "aws:kms"
    (event,) = drain(env["events"])
    assert event["detail-type"] == "TransactionIngested" and event["detail"]["transaction_id"] == "T-1"
    assert event["detail"]["partner_id"] == "acme" and event["detail"]["amount_minor"] == 1250


def test_a_retried_post_is_answered_as_the_first_and_stored_once(env: dict[str, Any]) -> None:
    first_status, first = post(GOOD)
    # Same content, other key order and spacing: the same request.
    again_status, again = post(raw=json.dumps(dict(reversed(list(GOOD.items()))), indent=2))
    assert (first_status, again_status) == (201, 200)
    assert again == first
    assert env["table"].scan()["Count"] == 1
    assert len(archived()) == 1  # content-addressed: the retry rewrote the same object


def _stored_from_a_file(env: dict[str, Any], **changes: str) -> None:
    from txnpipe.items import item_from_row

    row = {**GOOD, "timestamp_utc": "2026-11-25T09:00:00Z", "amount_minor": 1250, "file_id": "f-1", "source_row": 3,
           "ingested_at": "2026-11-25T09:05:00.000000Z"}
    env["table"].put_item(Item=item_from_row({**row, **changes}, "acme"))


def test_an_id_a_file_stored_with_the_same_content_is_answered_as_a_replay(env: dict[str, Any]) -> None:
    # Given T-1 stored from row 3 of file f-1, When a partner posts the same transaction
    _stored_from_a_file(env)
    status, body = post(GOOD)
    # Then it is answered 200 with the stored transaction's time, and the item stays the file's
    assert (status, body["ingested_at"]) == (200, "2026-11-25T09:05:00.000000Z")
    assert env["table"].get_item(Key={"transaction_key": "acme#T-1"})["Item"]["file_id"] == "f-1"


def test_a_replay_of_a_file_stored_id_is_archived_and_not_announced(env: dict[str, Any]) -> None:
    _stored_from_a_file(env)
    post(GOOD)
    assert (len(archived()), drain(env["events"])) == (1, [])


def test_an_id_a_file_stored_with_other_content_is_a_conflict(env: dict[str, Any]) -> None:
    _stored_from_a_file(env, amount="99.00")
    assert post(GOOD)[0] == 409


def test_the_same_id_with_a_different_body_is_a_conflict_and_changes_nothing(env: dict[str, Any]) -> None:
    post(GOOD)
    status, body = post({**GOOD, "amount": "99.00"})
    assert status == 409 and "transaction_id" in body["reasons"][0]
    assert_error_shape(body)
    assert env["table"].get_item(Key={"transaction_key": "acme#T-1"})["Item"]["amount"] == "12.50"


def test_ids_are_per_partner(env: dict[str, Any]) -> None:
    assert post(GOOD)[0] == 201
    assert post(GOOD, key_id="key-globex")[0] == 201
    assert env["table"].scan()["Count"] == 2


@pytest.mark.parametrize(("raw", "status", "reason"), [
    ('{"transaction_id": "T-1", ', 400, "body: not valid JSON"),
    ("[1, 2]", 400, "body: must be a JSON object"),
    ("", 400, "body: required"),
    (json.dumps({k: v for k, v in GOOD.items() if k != "currency"}), 400, "currency: required"),
    (json.dumps({**GOOD, "amount": "1.234"}), 400, "amount: more than 2 decimal places for USD"),
    (json.dumps({**GOOD, "amount": -5}), 400, "amount: sign not allowed"),
    (json.dumps({**GOOD, "timestamp": "2026-11-25T10:00:00"}), 400, "timestamp:"),
    (json.dumps({**GOOD, "transaction_type": "REFUND"}), 400, "transaction_type: must be one of"),
    (json.dumps({**GOOD, "description": "x" * 20_000}), 413, "body: larger than 16384 bytes"),
])
def test_bad_requests_are_refused_with_reasons_and_nothing_is_stored(
    env: dict[str, Any], raw: str, status: int, reason: str,
) -> None:
    got_status, body = post(raw=raw)
    assert got_status == status
    assert body["reasons"][0].startswith(reason), body
    assert_error_shape(body)
    assert env["table"].scan()["Count"] == 0 and archived() == [] and drain(env["events"]) == []


@pytest.mark.parametrize("key_id", [None, "key-of-nobody"])
def test_a_request_without_a_mapped_api_key_is_forbidden(env: dict[str, Any], key_id: str | None) -> None:
    status, body = post(GOOD, key_id=key_id)
    assert status == 403
    assert_error_shape(body)


def test_the_partner_comes_from_the_key_not_from_the_body(env: dict[str, Any]) -> None:
    post({**GOOD, "partner_id": "globex"})
    assert env["table"].get_item(Key={"transaction_key": "acme#T-1"})["Item"]["partner_id"] == "acme"

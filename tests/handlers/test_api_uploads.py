"""POST /uploads: the presigned URL uploads into the right key with SSE-KMS, and nothing else.

What moto really enforces (verified with moto 5.2.5): it stores a PUT to a presigned URL but
does *not* validate presigned signatures (a tampered signature is accepted), and its bucket
policy evaluation denies every PutObject once a Deny with conditions exists. So the PUT that
must succeed runs against moto, and the PUTs that must fail are checked the way S3 checks
them: by recomputing the SigV4 query signature for the request actually sent.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any
from urllib.parse import parse_qsl, quote, urlsplit

import boto3
import pytest
import requests

from tests.handlers.conftest import FakeContext
from tests.handlers.test_api_support import PARTNER_KEYS, RAW_BUCKET, api_event, assert_error_shape


@pytest.fixture
def env(aws: None, monkeypatch: pytest.MonkeyPatch) -> str:
    """The handler's variables; it is imported afterwards (cold, by each test), so its signer is new too."""
    kms = boto3.client("kms").create_key()["KeyMetadata"]["Arn"]
    monkeypatch.setenv("PARTNER_KEYS", json.dumps(PARTNER_KEYS))
    monkeypatch.setenv("RAW_BUCKET", RAW_BUCKET)
    monkeypatch.setenv("KMS_KEY_ARN", kms)
    boto3.client("s3").create_bucket(Bucket=RAW_BUCKET)
    return kms


def issue(body: object = None, key_id: str = "key-acme") -> tuple[int, dict[str, Any]]:
    from api_uploads.handler import handler

    response = handler(api_event("POST", "/uploads", key_id=key_id, body=body), FakeContext())  # type: ignore[arg-type]
    return response["statusCode"], json.loads(response["body"])


def s3_accepts(url: str, method: str, headers: dict[str, str]) -> bool:
    """Recompute the SigV4 presigned-URL signature for the request actually sent (as S3 does)."""
    secret = boto3.Session().get_credentials().secret_key  # the signer's (moto swaps in its own)
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    signature = query.pop("X-Amz-Signature")
    signed = query["X-Amz-SignedHeaders"].split(";")
    sent = {k.lower(): v for k, v in headers.items()} | {"host": parts.netloc}
    if any(name not in sent for name in signed):
        return False
    canonical = "\n".join([
        method, quote(parts.path, safe="/~"),
        "&".join(f"{quote(k, safe='-_.~')}={quote(v, safe='-_.~')}" for k, v in sorted(query.items())),
        "".join(f"{name}:{sent[name].strip()}\n" for name in signed), ";".join(signed), "UNSIGNED-PAYLOAD",
    ])
    _, date, region, service, _ = query["X-Amz-Credential"].split("/")
    to_sign = "\n".join(["AWS4-HMAC-SHA256", query["X-Amz-Date"], f"{date}/{region}/{service}/aws4_request",
                         hashlib.sha256(canonical.encode()).hexdigest()])
    key = f"AWS4{secret}".encode()
    for part in (date, region, service, "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    return hmac.compare_digest(hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest(), signature)


def test_the_url_puts_the_file_under_the_partner_prefix_encrypted_with_the_cmk(env: str) -> None:
    # Given acme's key, When it asks for a CSV upload
    status, body = issue({"format": "csv"})
    # Then it gets a 5-minute PUT under its prefix, with the SSE-KMS headers to send and where to poll
    assert status == 201
    assert body["method"] == "PUT"
    assert body["expires_in"] == 300
    assert body["key"] == f"uploads/acme/{body['file_id']}.csv"
    assert body["status_url"] == f"/files/{body['file_id']}"
    assert body["headers"] == {"x-amz-server-side-encryption": "aws:kms",
                               "x-amz-server-side-encryption-aws-kms-key-id": env}
    assert s3_accepts(body["upload_url"], "PUT", body["headers"])
    # And a PUT with those headers stores the file encrypted with the pipeline's key
    response = requests.put(body["upload_url"], data=b"transaction_id\nT1\n", headers=body["headers"], timeout=5)
    assert response.status_code == 200
    head = boto3.client("s3").head_object(Bucket=RAW_BUCKET, Key=body["key"])
    assert head["ServerSideEncryption"] == "aws:kms"
    assert head["SSEKMSKeyId"] == env


def test_the_signature_covers_the_sse_headers_and_a_short_expiry(env: str) -> None:
    # Given a JSON upload's URL, When its query is read
    _, body = issue({"format": "json"})
    query = dict(parse_qsl(urlsplit(body["upload_url"]).query))
    # Then it is SigV4 over the host and both SSE headers, for 300 s, to a .json key
    assert query["X-Amz-Algorithm"] == "AWS4-HMAC-SHA256"
    assert query["X-Amz-Expires"] == "300"
    assert set(query["X-Amz-SignedHeaders"].split(";")) == {
        "host", "x-amz-server-side-encryption", "x-amz-server-side-encryption-aws-kms-key-id"}
    assert body["key"].endswith(".json")


def test_a_put_without_the_sse_headers_or_with_other_values_fails_signature_validation(env: str) -> None:
    # Given an upload URL, When it is sent without its headers or with other values, Then S3 refuses each
    _, body = issue({"format": "csv"})
    url, headers = body["upload_url"], body["headers"]
    assert not s3_accepts(url, "PUT", {})
    assert not s3_accepts(url, "PUT", {**headers, "x-amz-server-side-encryption": "AES256"})
    assert not s3_accepts(url, "PUT", {**headers, "x-amz-server-side-encryption-aws-kms-key-id": "other-key"})


def test_the_url_cannot_be_reused_for_another_key_or_method(env: str) -> None:
    # Given an upload URL, When it is pointed at another partner, format or method, Then S3 refuses each
    _, body = issue({"format": "csv"})
    url, headers = body["upload_url"], body["headers"]
    assert not s3_accepts(url.replace("/uploads/acme/", "/uploads/globex/"), "PUT", headers)
    assert not s3_accepts(url.replace(".csv?", ".json?"), "PUT", headers)
    assert not s3_accepts(url, "GET", headers)


def test_every_call_gets_a_new_unguessable_file_id(env: str) -> None:
    # Given five calls, When their file ids are compared, Then all differ and each is 128 random bits in hex
    ids = {issue({"format": "csv"})[1]["file_id"] for _ in range(5)}
    assert len(ids) == 5
    assert all(len(i) == 32 for i in ids)


def test_the_partner_prefix_comes_from_the_key(env: str) -> None:
    # Given globex's key and a body claiming acme, When it asks for an upload, Then the prefix is globex's
    _, body = issue({"format": "csv", "partner_id": "acme"}, key_id="key-globex")
    assert body["key"].startswith("uploads/globex/")


@pytest.mark.parametrize(("body", "status"), [({"format": "xlsx"}, 400), ([1], 400), ({"format": "csv"}, 201)])
def test_the_format_is_csv_or_json(env: str, body: object, status: int) -> None:
    # Given a requested format, When an upload is asked for, Then only csv or json is accepted
    assert issue(body)[0] == status


@pytest.mark.parametrize(("body", "key_id", "status", "reason"), [
    ({"format": "xlsx"}, "key-acme", 400, "format: must be csv or json"),
    ([1], "key-acme", 400, "body: must be a JSON object"),
    ({"format": "csv", "pad": "x" * 2000}, "key-acme", 413, "body: larger than 1024 bytes"),
    ({"format": "csv"}, "key-of-nobody", 403, None),
])
def test_every_error_has_the_one_error_shape(env: str, body: object, key_id: str, status: int, reason: str | None) -> None:
    # Given a request the function refuses, When it is handled, Then its status, the one shape and the reason
    got_status, got = issue(body, key_id=key_id)
    assert got_status == status
    assert_error_shape(got)
    assert got["reasons"] == ([reason] if reason else [])


def test_a_body_that_is_not_json_names_the_reason(env: str) -> None:
    from api_uploads.handler import handler

    # Given a body that is not JSON, When it is handled, Then 400 names the reason
    response = handler(api_event("POST", "/uploads", raw="{nope"), FakeContext())  # type: ignore[arg-type]
    assert response["statusCode"] == 400
    assert json.loads(response["body"])["reasons"] == ["body: not valid JSON"]

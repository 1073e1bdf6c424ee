"""S3 presigned URLs: verified like S3 (signature over the signed headers, unsigned x-amz-*, expiry); bodies byte for byte."""

from __future__ import annotations

import time
from pathlib import Path

import boto3
import pytest

from localcloud.emulator import Emulator
from tests.localcloud.s3_helpers import SSE, curl, curl_put_file, guarded_bucket, presign_put, sse_headers

BUCKET = "lc-presigned"
BODY = b"transaction_id,amount\nt-1,10.00\n\xff\xfe not utf-8 \x00\x81 a=b&c=d\n"


@pytest.fixture(scope="module")
def key_arn(emulator: Emulator) -> str:
    return guarded_bucket(BUCKET)


@pytest.fixture
def data_file(tmp_path: Path) -> Path:
    path = tmp_path / "file.csv"
    path.write_bytes(BODY)
    return path


def _stored(key: str) -> bytes:
    return bytes(boto3.client("s3").get_object(Bucket=BUCKET, Key=key)["Body"].read())


def test_put_with_the_signed_headers_stores_the_bytes(key_arn: str, data_file: Path) -> None:
    # Given a URL signed over the SSE-KMS headers, When curl PUTs the file with them (form content type)
    status, body = curl_put_file(presign_put(BUCKET, "uploads/p/ok.csv", key_arn), data_file, sse_headers(key_arn))
    # Then S3 answers 200 and stores the file byte for byte
    assert status == 200, body
    assert _stored("uploads/p/ok.csv") == BODY


def test_curl_upload_file_flag_stores_the_bytes(key_arn: str, data_file: Path) -> None:
    status, body = curl_put_file(presign_put(BUCKET, "uploads/p/t.csv", key_arn), data_file, sse_headers(key_arn),
                                 upload=True)
    assert status == 200, body
    assert _stored("uploads/p/t.csv") == BODY


def test_stored_content_type_is_the_one_sent(key_arn: str, data_file: Path) -> None:
    curl_put_file(presign_put(BUCKET, "uploads/p/ct.csv", key_arn), data_file, sse_headers(key_arn))
    head = boto3.client("s3").head_object(Bucket=BUCKET, Key="uploads/p/ct.csv")
    assert head["ContentType"] == "application/x-www-form-urlencoded"


def test_put_without_the_signed_headers_does_not_match(key_arn: str, data_file: Path) -> None:
    status, body = curl_put_file(presign_put(BUCKET, "uploads/p/nohdr.csv", key_arn), data_file, {})
    assert status == 403
    assert "<Code>SignatureDoesNotMatch</Code>" in body


def test_put_with_another_key_does_not_match(key_arn: str, data_file: Path) -> None:
    headers = {**sse_headers(key_arn), f"{SSE}-aws-kms-key-id": "arn:aws:kms:us-east-1:123456789012:key/other"}
    status, body = curl_put_file(presign_put(BUCKET, "uploads/p/other.csv", key_arn), data_file, headers)
    assert status == 403
    assert "<Code>SignatureDoesNotMatch</Code>" in body


def test_signature_from_another_secret_does_not_match(key_arn: str, data_file: Path) -> None:
    url = presign_put(BUCKET, "uploads/p/secret.csv", key_arn, aws_access_key_id="test", aws_secret_access_key="nope")
    status, body = curl_put_file(url, data_file, sse_headers(key_arn))
    assert status == 403
    assert "<Code>SignatureDoesNotMatch</Code>" in body


def test_tampered_key_does_not_match(key_arn: str, data_file: Path) -> None:
    url = presign_put(BUCKET, "uploads/p/a.csv", key_arn).replace("/uploads/p/a.csv", "/uploads/p/b.csv")
    status, body = curl_put_file(url, data_file, sse_headers(key_arn))
    assert status == 403
    assert "<Code>SignatureDoesNotMatch</Code>" in body


def test_unsigned_amz_header_is_refused(key_arn: str, data_file: Path) -> None:
    headers = {**sse_headers(key_arn), "x-amz-acl": "public-read"}
    status, body = curl_put_file(presign_put(BUCKET, "uploads/p/acl.csv", key_arn), data_file, headers)
    assert status == 403
    assert "<HeadersNotSigned>x-amz-acl</HeadersNotSigned>" in body


def test_expired_url_is_refused(key_arn: str, data_file: Path) -> None:
    # Given a URL valid for 1 s, When it is used 2 s later, Then S3 answers AccessDenied "Request has expired"
    url = presign_put(BUCKET, "uploads/p/late.csv", key_arn, expires=1)
    time.sleep(2.1)
    status, body = curl_put_file(url, data_file, sse_headers(key_arn))
    assert status == 403
    assert "<Message>Request has expired</Message>" in body


def test_missing_query_parameter_is_a_bad_request(key_arn: str, data_file: Path) -> None:
    url = presign_put(BUCKET, "uploads/p/x.csv", key_arn).replace("X-Amz-Expires=", "X-Amz-Expired=")
    status, body = curl_put_file(url, data_file, sse_headers(key_arn))
    assert status == 400
    assert "<Code>AuthorizationQueryParametersError</Code>" in body


def test_presigned_get_still_works(key_arn: str, data_file: Path) -> None:
    curl_put_file(presign_put(BUCKET, "uploads/p/get.csv", key_arn), data_file, sse_headers(key_arn))
    url = boto3.client("s3").generate_presigned_url("get_object", Params={"Bucket": BUCKET, "Key": "uploads/p/get.csv"})
    status, _ = curl("-o", "/dev/null", url)
    assert status == 200

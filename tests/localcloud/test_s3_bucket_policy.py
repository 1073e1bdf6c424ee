"""S3 bucket policies evaluated against each request: SSE headers, multipart uploads, principal, auth type."""

from __future__ import annotations

import json
from pathlib import Path

import boto3
import pytest
from boto3.s3.transfer import TransferConfig
from botocore.config import Config
from botocore.exceptions import ClientError

from localcloud.emulator import Emulator
from tests.localcloud.s3_helpers import curl, guarded_bucket, kms_key_arn, upload_policy

BUCKET = "lc-policy-uploads"
MULTIPART = TransferConfig(multipart_threshold=5 * 1024 * 1024, multipart_chunksize=5 * 1024 * 1024)


@pytest.fixture(scope="module")
def key_arn(emulator: Emulator) -> str:
    return guarded_bucket(BUCKET)


def _sse(key_arn: str) -> dict[str, str]:
    return {"ServerSideEncryption": "aws:kms", "SSEKMSKeyId": key_arn}


def _code(error: pytest.ExceptionInfo[ClientError]) -> str:
    return str(error.value.response["Error"]["Code"])


def test_put_without_sse_headers_is_denied(key_arn: str) -> None:
    # Given the raw bucket's StringNotEquals denies, When a PUT omits the headers (absent key: true), Then AccessDenied
    with pytest.raises(ClientError) as error:
        boto3.client("s3").put_object(Bucket=BUCKET, Key="uploads/p/a.csv", Body=b"x")
    assert _code(error) == "AccessDenied"


def test_put_with_sse_kms_but_another_key_is_denied(key_arn: str) -> None:
    other = boto3.client("kms").create_key(Description="partner's own key")["KeyMetadata"]["Arn"]
    with pytest.raises(ClientError) as error:
        boto3.client("s3").put_object(Bucket=BUCKET, Key="uploads/p/a.csv", Body=b"x", **_sse(other))
    assert _code(error) == "AccessDenied"


def test_put_with_sse_kms_and_no_key_id_is_denied(key_arn: str) -> None:
    with pytest.raises(ClientError) as error:
        boto3.client("s3").put_object(Bucket=BUCKET, Key="uploads/p/a.csv", Body=b"x", ServerSideEncryption="aws:kms")
    assert _code(error) == "AccessDenied"


def test_put_with_the_pipeline_key_is_stored(key_arn: str) -> None:
    boto3.client("s3").put_object(Bucket=BUCKET, Key="uploads/p/ok.csv", Body=b"x", **_sse(key_arn))
    assert boto3.client("s3").get_object(Bucket=BUCKET, Key="uploads/p/ok.csv")["Body"].read() == b"x"


def test_outside_uploads_no_headers_are_needed(key_arn: str) -> None:
    boto3.client("s3").put_object(Bucket=BUCKET, Key="other/a.csv", Body=b"x")
    assert boto3.client("s3").head_object(Bucket=BUCKET, Key="other/a.csv")["ContentLength"] == 1


def test_multipart_upload_with_sse_kms_succeeds(key_arn: str, tmp_path: Path) -> None:
    # Given a 12 MiB file and a 5 MiB threshold, When upload_file sends the SSE ExtraArgs (on CreateMultipartUpload only)
    path = tmp_path / "big.csv"
    path.write_bytes(b"0123456789abcdef" * (12 * 1024 * 1024 // 16))
    boto3.client("s3").upload_file(str(path), BUCKET, "uploads/p/big.csv", ExtraArgs=_sse(key_arn), Config=MULTIPART)
    # Then the parts and the completion are authorized with the upload's encryption and the object is whole
    head = boto3.client("s3").head_object(Bucket=BUCKET, Key="uploads/p/big.csv")
    assert head["ContentLength"] == path.stat().st_size
    assert head["ServerSideEncryption"] == "aws:kms"


def test_multipart_upload_without_sse_is_denied_at_create(key_arn: str, tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    path.write_bytes(b"x" * (6 * 1024 * 1024))
    with pytest.raises(ClientError) as error:
        boto3.client("s3").create_multipart_upload(Bucket=BUCKET, Key="uploads/p/big2.csv")
    assert _code(error) == "AccessDenied"
    with pytest.raises(boto3.exceptions.S3UploadFailedError, match="AccessDenied"):
        boto3.client("s3").upload_file(str(path), BUCKET, "uploads/p/big2.csv", Config=MULTIPART)


def test_upload_part_of_an_upload_created_without_sse_is_denied(key_arn: str) -> None:
    # Given an upload created before the policy existed, When a part is sent, Then the upload's (absent)
    # encryption is what the part is checked against
    s3 = boto3.client("s3")
    bucket = "lc-policy-parts"
    s3.create_bucket(Bucket=bucket)
    upload = s3.create_multipart_upload(Bucket=bucket, Key="uploads/p/c.csv")["UploadId"]
    s3.put_bucket_policy(Bucket=bucket, Policy=upload_policy(bucket, kms_key_arn()))
    with pytest.raises(ClientError) as error:
        s3.upload_part(Bucket=bucket, Key="uploads/p/c.csv", UploadId=upload, PartNumber=1, Body=b"x")
    assert _code(error) == "AccessDenied"


def test_principal_arn_comes_from_the_access_key(emulator: Emulator) -> None:
    # Given a bucket that only admits user alice, When root ("test") and alice PUT, Then only alice is stored
    s3, iam = boto3.client("s3"), boto3.client("iam")
    s3.create_bucket(Bucket="lc-policy-principal")
    iam.create_user(UserName="alice")
    key = iam.create_access_key(UserName="alice")["AccessKey"]
    s3.put_bucket_policy(Bucket="lc-policy-principal", Policy=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Deny", "Principal": "*", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::lc-policy-principal/*",
         "Condition": {"ArnNotEquals": {"aws:PrincipalArn": "arn:aws:iam::123456789012:user/alice"}}}]}))
    with pytest.raises(ClientError) as error:
        s3.put_object(Bucket="lc-policy-principal", Key="a", Body=b"x")
    assert _code(error) == "AccessDenied"
    alice = boto3.client("s3", aws_access_key_id=key["AccessKeyId"], aws_secret_access_key=key["SecretAccessKey"])
    alice.put_object(Bucket="lc-policy-principal", Key="a", Body=b"x")
    assert s3.head_object(Bucket="lc-policy-principal", Key="a")["ContentLength"] == 1


def test_auth_type_tells_presigned_from_header_requests(emulator: Emulator) -> None:
    s3 = boto3.client("s3")
    s3.create_bucket(Bucket="lc-policy-authtype")
    s3.put_object(Bucket="lc-policy-authtype", Key="a", Body=b"x")
    s3.put_bucket_policy(Bucket="lc-policy-authtype", Policy=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Deny", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::lc-policy-authtype/*",
         "Condition": {"StringEquals": {"s3:authType": "REST-QUERY-STRING"}}}]}))
    assert s3.get_object(Bucket="lc-policy-authtype", Key="a")["Body"].read() == b"x"
    for version in ("s3v4", "s3"):  # SigV4 and SigV2 query strings
        signer = boto3.client("s3", config=Config(signature_version=version))
        status, body = curl(signer.generate_presigned_url("get_object", Params={"Bucket": "lc-policy-authtype", "Key": "a"}))
        assert status == 403, version
        assert "<Code>AccessDenied</Code>" in body

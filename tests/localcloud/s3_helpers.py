"""Builders for the S3 emulator tests: a bucket with the raw bucket's upload denies, curl, presigned URLs."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import boto3
from botocore.config import Config

SSE = "x-amz-server-side-encryption"
SSE_KEY = "x-amz-server-side-encryption-aws-kms-key-id"


def kms_key_arn() -> str:
    return str(boto3.client("kms").create_key(Description="lc-s3-test")["KeyMetadata"]["Arn"])


def upload_policy(bucket: str, key_arn: str) -> str:
    """The raw bucket's two denies (stacks/storage/stack.py), under uploads/."""
    uploads = f"arn:aws:s3:::{bucket}/uploads/*"
    return json.dumps({"Version": "2012-10-17", "Statement": [
        {"Sid": "DenyUnencryptedUploads", "Effect": "Deny", "Principal": {"AWS": "*"}, "Action": "s3:PutObject",
         "Resource": uploads, "Condition": {"StringNotEquals": {f"s3:{SSE}": "aws:kms"}}},
        {"Sid": "DenyUploadsWithOtherKeys", "Effect": "Deny", "Principal": {"AWS": "*"}, "Action": "s3:PutObject",
         "Resource": uploads, "Condition": {"StringNotEquals": {f"s3:{SSE_KEY}": key_arn}}},
    ]})


def guarded_bucket(name: str) -> str:
    """A bucket with the upload denies; returns the KMS key ARN uploads must name."""
    s3 = boto3.client("s3")
    s3.create_bucket(Bucket=name)
    key_arn = kms_key_arn()
    s3.put_bucket_policy(Bucket=name, Policy=upload_policy(name, key_arn))
    return key_arn


def presign_put(bucket: str, key: str, key_arn: str | None, expires: int = 300, **client: str) -> str:
    params: dict[str, str] = {"Bucket": bucket, "Key": key}
    if key_arn:
        params.update(ServerSideEncryption="aws:kms", SSEKMSKeyId=key_arn)
    s3 = boto3.client("s3", config=Config(signature_version="s3v4"), **client)  # type: ignore[call-overload]
    return str(s3.generate_presigned_url("put_object", Params=params, ExpiresIn=expires, HttpMethod="PUT"))


def sse_headers(key_arn: str) -> dict[str, str]:
    return {SSE: "aws:kms", SSE_KEY: key_arn}


def curl(*args: str) -> tuple[int, str]:
    """Run curl; (HTTP status, body). `-w` appends the status on its own line."""
    done = subprocess.run(["curl", "-sS", "-w", "\n%{http_code}", *args], capture_output=True, text=True,
                          timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    body, _, status = done.stdout.rpartition("\n")
    return int(status), body


def curl_put_file(url: str, path: Path, headers: dict[str, str], *, upload: bool = False) -> tuple[int, str]:
    """`curl -X PUT --data-binary @file` (curl's default form content type) or `curl -T file`."""
    flags = [f"-H{k}: {v}" for k, v in headers.items()]
    sending = ["-T", str(path)] if upload else ["-X", "PUT", "--data-binary", f"@{path}"]
    return curl(*flags, *sending, url)

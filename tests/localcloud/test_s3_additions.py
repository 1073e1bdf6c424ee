"""S3: bucket logging without moto's early grant check; bucket policy conditions evaluated."""

from __future__ import annotations

import json

import boto3
import pytest
from botocore.exceptions import ClientError

from localcloud.emulator import Emulator
from localcloud.patches.iam_conditions import UnsupportedCondition, conditions_met

SECURE_ONLY = {
    "Version": "2012-10-17",
    "Statement": [
        {"Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": {"AWS": "*"}, "Action": ["s3:*"],
         "Resource": ["arn:aws:s3:::{b}", "arn:aws:s3:::{b}/*"], "Condition": {"Bool": {"aws:SecureTransport": "false"}}},
        {"Sid": "DenyOutdatedTls", "Effect": "Deny", "Principal": {"AWS": "*"}, "Action": ["s3:*"],
         "Resource": ["arn:aws:s3:::{b}", "arn:aws:s3:::{b}/*"], "Condition": {"NumericLessThan": {"s3:TlsVersion": "1.2"}}},
    ],
}


def _policy(bucket: str, extra: list[dict[str, object]] = ()) -> str:  # type: ignore[assignment]
    doc = json.loads(json.dumps(SECURE_ONLY).replace("{b}", bucket))
    doc["Statement"] += list(extra)
    return json.dumps(doc)


def test_secure_transport_deny_does_not_block_requests(emulator: Emulator) -> None:
    s3 = boto3.client("s3")
    s3.create_bucket(Bucket="lc-policy-secure")
    s3.put_bucket_policy(Bucket="lc-policy-secure", Policy=_policy("lc-policy-secure"))
    s3.put_object(Bucket="lc-policy-secure", Key="a.txt", Body=b"x")
    assert s3.get_object(Bucket="lc-policy-secure", Key="a.txt")["Body"].read() == b"x"


def test_unconditional_deny_still_denies(emulator: Emulator) -> None:
    s3 = boto3.client("s3")
    s3.create_bucket(Bucket="lc-policy-deny")
    deny = {"Sid": "NoPuts", "Effect": "Deny", "Principal": "*", "Action": "s3:PutObject",
            "Resource": "arn:aws:s3:::lc-policy-deny/blocked/*"}
    s3.put_bucket_policy(Bucket="lc-policy-deny", Policy=_policy("lc-policy-deny", [deny]))
    s3.put_object(Bucket="lc-policy-deny", Key="open/a.txt", Body=b"x")
    with pytest.raises(ClientError):
        s3.put_object(Bucket="lc-policy-deny", Key="blocked/a.txt", Body=b"x")


def test_conditions_follow_iam_semantics() -> None:
    ctx = {"aws:SecureTransport": "true", "s3:TlsVersion": "1.3"}
    assert not conditions_met({"Bool": {"aws:SecureTransport": "false"}}, ctx)
    assert conditions_met({"Bool": {"aws:SecureTransport": True}}, ctx)
    assert not conditions_met({"NumericLessThan": {"s3:TlsVersion": "1.2"}}, ctx)
    assert not conditions_met({"StringEquals": {"aws:SourceAccount": "1"}}, ctx)  # missing key: false
    assert conditions_met({"StringEqualsIfExists": {"aws:SourceAccount": "1"}}, ctx)
    assert conditions_met({"Null": {"aws:SourceAccount": "true"}}, ctx)
    with pytest.raises(UnsupportedCondition):  # unknown operator: a clear error, not a silently skipped statement
        conditions_met({"ForAnyValue:Unknown": {"aws:SecureTransport": "true"}}, ctx)


def test_logging_target_without_policy_yet(emulator: Emulator) -> None:
    s3 = boto3.client("s3")
    s3.create_bucket(Bucket="lc-log-source")
    s3.create_bucket(Bucket="lc-log-target")
    s3.put_bucket_logging(Bucket="lc-log-source", BucketLoggingStatus={
        "LoggingEnabled": {"TargetBucket": "lc-log-target", "TargetPrefix": "src/"}})
    assert s3.get_bucket_logging(Bucket="lc-log-source")["LoggingEnabled"]["TargetBucket"] == "lc-log-target"
    with pytest.raises(ClientError, match="InvalidTargetBucketForLogging"):
        s3.put_bucket_logging(Bucket="lc-log-source", BucketLoggingStatus={
            "LoggingEnabled": {"TargetBucket": "lc-no-such-bucket", "TargetPrefix": "src/"}})

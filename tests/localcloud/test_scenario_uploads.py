"""The direct-upload instructions the demo, the e2e tests and `make up` share (localcloud.scenario)."""

from __future__ import annotations

import pytest

from localcloud.scenario import Pipeline

KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/0b2e"


def _pipeline(kms_key_arn: str | None) -> Pipeline:
    return Pipeline(endpoint="http://127.0.0.1:1", buckets={"raw": "txnpipe-raw-local-123456789012"},
                    kms_key_arn=kms_key_arn)


def test_upload_args_name_the_pipeline_key() -> None:
    assert _pipeline(KEY_ARN).upload_args() == {"ServerSideEncryption": "aws:kms", "SSEKMSKeyId": KEY_ARN}


def test_cli_line_carries_sse_kms_and_the_key_arn() -> None:
    cli, _ = _pipeline(KEY_ARN).upload_commands("my.csv", "uploads/p-001/my.csv")
    assert cli == ("aws s3 cp my.csv s3://txnpipe-raw-local-123456789012/uploads/p-001/my.csv "
                   f"--sse aws:kms --sse-kms-key-id {KEY_ARN}")


def test_boto3_line_carries_the_extra_args() -> None:
    _, sdk = _pipeline(KEY_ARN).upload_commands("my.csv", "uploads/p-001/my.csv")
    assert f"ExtraArgs={{'ServerSideEncryption': 'aws:kms', 'SSEKMSKeyId': '{KEY_ARN}'}}" in sdk


def test_without_a_pipeline_key_the_error_says_so() -> None:
    with pytest.raises(RuntimeError, match="no pipeline KMS key"):
        _pipeline(None).upload_args()

"""Addition: PutBucketLogging accepts a target bucket whose policy is not (yet) in place.

moto 5.2.5 refuses `PutBucketLogging` unless the target bucket's policy or ACL already grants
the logging service. Terraform creates `aws_s3_bucket_logging` and the target's
`aws_s3_bucket_policy` in parallel, so the result depended on scheduling. S3 checks delivery
permissions when it delivers logs (LocalStack drops the same moto check: localstack/localstack#8654);
the emulator keeps moto's other checks (target exists, same region).
"""

from __future__ import annotations

from typing import Any


def install() -> None:
    """Skip only the grant check of `FakeBucket.set_logging`."""
    from moto.s3.models import FakeBucket

    FakeBucket._log_permissions_enabled_policy = staticmethod(lambda target_bucket, target_prefix: True)  # type: ignore[assignment]
    _ = Any

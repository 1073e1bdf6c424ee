"""An S3 bucket with the controls every bucket of ours carries."""

from __future__ import annotations

from collections.abc import Sequence

from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket
from cdktf_cdktf_provider_aws.s3_bucket_lifecycle_configuration import (
    S3BucketLifecycleConfiguration,
    S3BucketLifecycleConfigurationRule,
    S3BucketLifecycleConfigurationRuleAbortIncompleteMultipartUpload,
    S3BucketLifecycleConfigurationRuleFilter,
    S3BucketLifecycleConfigurationRuleNoncurrentVersionExpiration,
    S3BucketLifecycleConfigurationRuleTransition,
)
from cdktf_cdktf_provider_aws.s3_bucket_logging import S3BucketLoggingA
from cdktf_cdktf_provider_aws.s3_bucket_ownership_controls import (
    S3BucketOwnershipControls,
    S3BucketOwnershipControlsRule,
)
from cdktf_cdktf_provider_aws.s3_bucket_policy import S3BucketPolicy
from cdktf_cdktf_provider_aws.s3_bucket_public_access_block import S3BucketPublicAccessBlock
from cdktf_cdktf_provider_aws.s3_bucket_server_side_encryption_configuration import (
    S3BucketServerSideEncryptionConfigurationA,
    S3BucketServerSideEncryptionConfigurationRuleA,
    S3BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultA,
)
from cdktf_cdktf_provider_aws.s3_bucket_versioning import (
    S3BucketVersioningA,
    S3BucketVersioningVersioningConfiguration,
)
from constructs import Construct

from stacks.constructs.policy import PolicyDocument, Statement, s3_deny_insecure_transport

GLACIER_AFTER_DAYS = 90
NONCURRENT_EXPIRY_DAYS = 90
ABORT_MULTIPART_AFTER_DAYS = 7


class SecureBucket(Construct):
    """Versioned, private, owner-enforced, encrypted, TLS-only bucket with a lifecycle.

    `kms_key_arn=None` means SSE-S3: only for the access-log bucket, because S3 server
    access logging cannot deliver into an SSE-KMS bucket.
    """

    def __init__(
        self, scope: Construct, id: str, *, name: str, kms_key_arn: str | None, force_destroy: bool,
        access_log_bucket: str | None, extra_statements: Sequence[Statement] = (),
    ) -> None:
        super().__init__(scope, id)
        self.bucket = S3Bucket(self, "bucket", bucket=name, force_destroy=force_destroy)
        self.name = self.bucket.bucket
        self.arn = self.bucket.arn
        bucket_id = self.bucket.id
        S3BucketVersioningA(
            self, "versioning", bucket=bucket_id,
            versioning_configuration=S3BucketVersioningVersioningConfiguration(status="Enabled"),
        )
        self.public_access_block = S3BucketPublicAccessBlock(
            self, "public-access-block", bucket=bucket_id, block_public_acls=True,
            block_public_policy=True, ignore_public_acls=True, restrict_public_buckets=True,
        )
        S3BucketOwnershipControls(
            self, "ownership", bucket=bucket_id,
            rule=S3BucketOwnershipControlsRule(object_ownership="BucketOwnerEnforced"),
        )
        self._encryption(bucket_id, kms_key_arn)
        self._lifecycle(bucket_id)
        if access_log_bucket is not None:
            S3BucketLoggingA(self, "logging", bucket=bucket_id, target_bucket=access_log_bucket, target_prefix=f"{name}/")
        statements = [*s3_deny_insecure_transport([self.arn, f"{self.arn}/*"]), *extra_statements]
        S3BucketPolicy(
            self, "policy", bucket=bucket_id, policy=PolicyDocument(statements).to_json(),
            depends_on=[self.public_access_block],
        )

    def _encryption(self, bucket_id: str, kms_key_arn: str | None) -> None:
        default = S3BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultA(
            sse_algorithm="aws:kms" if kms_key_arn else "AES256", kms_master_key_id=kms_key_arn,
        )
        S3BucketServerSideEncryptionConfigurationA(
            self, "encryption", bucket=bucket_id,
            rule=[S3BucketServerSideEncryptionConfigurationRuleA(
                apply_server_side_encryption_by_default=default, bucket_key_enabled=bool(kms_key_arn),
            )],
        )

    def _lifecycle(self, bucket_id: str) -> None:
        rule = S3BucketLifecycleConfigurationRule(
            id="archive-and-expire", status="Enabled",
            filter=[S3BucketLifecycleConfigurationRuleFilter(prefix="")],
            transition=[S3BucketLifecycleConfigurationRuleTransition(days=GLACIER_AFTER_DAYS, storage_class="GLACIER")],
            noncurrent_version_expiration=[S3BucketLifecycleConfigurationRuleNoncurrentVersionExpiration(
                noncurrent_days=NONCURRENT_EXPIRY_DAYS,
            )],
            abort_incomplete_multipart_upload=[S3BucketLifecycleConfigurationRuleAbortIncompleteMultipartUpload(
                days_after_initiation=ABORT_MULTIPART_AFTER_DAYS,
            )],
        )
        S3BucketLifecycleConfiguration(self, "lifecycle", bucket=bucket_id, rule=[rule])

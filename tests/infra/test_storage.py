"""Property tests of the synthesized storage stack (Given a synth, When read, Then ...)."""

from __future__ import annotations

import json
from typing import Any

from tests.synth import Synth

BUCKETS = ("raw", "processed", "quarantine", "artifacts", "access-logs")


def by_bucket(synth: Synth, type_: str) -> dict[str, dict[str, Any]]:
    """Map bucket purpose → the resource of `type_` configuring it (from construct paths)."""
    out = {}
    for body in synth.resources("storage", type_).values():
        purpose = body["//"]["metadata"]["path"].split("/")[1]
        out[purpose] = body
    return out


def test_every_bucket_is_versioned_private_and_owner_enforced(local: Synth) -> None:
    versioning = by_bucket(local, "aws_s3_bucket_versioning")
    blocks = by_bucket(local, "aws_s3_bucket_public_access_block")
    ownership = by_bucket(local, "aws_s3_bucket_ownership_controls")
    for purpose in BUCKETS:
        assert versioning[purpose]["versioning_configuration"]["status"] == "Enabled", purpose
        for flag in ("block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"):
            assert blocks[purpose][flag] is True, (purpose, flag)
        assert ownership[purpose]["rule"]["object_ownership"] == "BucketOwnerEnforced", purpose


def test_data_buckets_use_the_cmk_with_bucket_keys_and_access_logs_use_sse_s3(local: Synth) -> None:
    encryption = by_bucket(local, "aws_s3_bucket_server_side_encryption_configuration")
    for purpose in ("raw", "processed", "quarantine", "artifacts"):
        rule = encryption[purpose]["rule"][0]
        assert rule["apply_server_side_encryption_by_default"]["sse_algorithm"] == "aws:kms"
        assert "aws_kms_key" in rule["apply_server_side_encryption_by_default"]["kms_master_key_id"]
        assert rule["bucket_key_enabled"] is True
    # S3 server access logging cannot deliver into an SSE-KMS bucket.
    log_rule = encryption["access-logs"]["rule"][0]
    assert log_rule["apply_server_side_encryption_by_default"]["sse_algorithm"] == "AES256"


def test_every_bucket_policy_denies_plain_http_and_old_tls(local: Synth) -> None:
    for purpose, body in by_bucket(local, "aws_s3_bucket_policy").items():
        statements = {s["Sid"]: s for s in json.loads(body["policy"])["Statement"]}
        insecure = statements["DenyInsecureTransport"]
        assert insecure["Effect"] == "Deny" and insecure["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
        old_tls = statements["DenyOutdatedTls"]
        assert old_tls["Effect"] == "Deny"
        assert old_tls["Condition"] == {"NumericLessThan": {"s3:TlsVersion": "1.2"}}, purpose
        assert any(r.endswith("/*") for r in insecure["Resource"]), "objects must be covered too"


def test_every_bucket_has_the_archive_and_cleanup_lifecycle(local: Synth) -> None:
    for purpose, body in by_bucket(local, "aws_s3_bucket_lifecycle_configuration").items():
        rule = body["rule"][0]
        assert rule["status"] == "Enabled"
        assert rule["transition"] == [{"days": 90, "storage_class": "GLACIER"}], purpose
        assert rule["noncurrent_version_expiration"][0]["noncurrent_days"] > 0
        assert rule["abort_incomplete_multipart_upload"][0]["days_after_initiation"] == 7
    assert set(by_bucket(local, "aws_s3_bucket_lifecycle_configuration")) == set(BUCKETS)


def test_data_buckets_log_access_to_the_access_log_bucket(local: Synth) -> None:
    logging = by_bucket(local, "aws_s3_bucket_logging")
    assert set(logging) == {"raw", "processed", "quarantine", "artifacts"}
    for body in logging.values():
        assert "access-logs" in body["target_bucket"]


def test_raw_bucket_sends_events_to_eventbridge(local: Synth) -> None:
    (notification,) = local.resources("storage", "aws_s3_bucket_notification").values()
    assert notification["eventbridge"] is True
    assert "raw_bucket" in notification["bucket"]


def test_kms_key_rotates_and_lets_the_services_we_use_encrypt(local: Synth) -> None:
    (key,) = local.resources("storage", "aws_kms_key").values()
    assert key["enable_key_rotation"] is True
    statements = json.loads(key["policy"])["Statement"]
    services: set[str] = set()
    for statement in statements:
        principal = statement.get("Principal", {}).get("Service", [])
        services.update([principal] if isinstance(principal, str) else principal)
    assert {"logs.us-east-1.amazonaws.com", "sns.amazonaws.com", "events.amazonaws.com",
            "s3.amazonaws.com", "sqs.amazonaws.com"} <= services
    # DynamoDB uses the key through the caller's IAM permissions (kms:ViaService), which the
    # account-root statement delegates to IAM.
    assert any(s["Principal"] == {"AWS": "arn:aws:iam::${data.aws_caller_identity.account.account_id}:root"}
               for s in statements)


def test_tables_are_on_demand_with_pitr_and_the_cmk(local: Synth, prod: Synth) -> None:
    tables = local.resources("storage", "aws_dynamodb_table")
    assert {t["name"] for t in tables.values()} == {
        "txnpipe-files-local", "txnpipe-transactions-local", "txnpipe-audit-local", "txnpipe-idempotency-local"}
    for table in tables.values():
        assert table["billing_mode"] == "PAY_PER_REQUEST"
        assert table["point_in_time_recovery"] == {"enabled": True}
        assert table["server_side_encryption"]["enabled"] is True
        assert "aws_kms_key" in table["server_side_encryption"]["kms_key_arn"]
        assert table["deletion_protection_enabled"] is False
    assert all(t["deletion_protection_enabled"] for t in prod.resources("storage", "aws_dynamodb_table").values())


def test_table_keys_streams_and_ttl_follow_the_contract(local: Synth) -> None:
    tables = {t["name"].split("-")[1]: t for t in local.resources("storage", "aws_dynamodb_table").values()}
    files = tables["files"]
    assert files["hash_key"] == "file_id"
    assert files["global_secondary_index"][0] | {} == {
        "hash_key": "status", "name": "status-updated_at-index", "projection_type": "ALL", "range_key": "updated_at"}
    transactions = tables["transactions"]
    assert transactions["stream_enabled"] is True and transactions["stream_view_type"] == "NEW_AND_OLD_IMAGES"
    assert tables["audit"]["range_key"] == "event_key"
    assert tables["idempotency"]["ttl"] == {"attribute_name": "expiration", "enabled": True}


def test_buckets_are_destroyable_everywhere_but_prod(local: Synth, prod: Synth) -> None:
    assert all(b["force_destroy"] for b in local.resources("storage", "aws_s3_bucket").values())
    assert not any(b["force_destroy"] for b in prod.resources("storage", "aws_s3_bucket").values())

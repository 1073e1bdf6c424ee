"""Which planned changes can lose data or weaken its protection: the first thing a reviewer reads.

A delete or replace of a resource that holds data loses it. An update or removal of what protects
the data (recovery, deletion protection, versioning, retention, public-access blocks, policies,
encryption) is listed too, because it is how the next mistake becomes a loss.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from localcloud.review.attributes import lookup

#: Resource types that hold data (or, for keys and aliases, make it readable).
STATEFUL_TYPES = {
    "aws_s3_bucket": "bucket", "aws_dynamodb_table": "table", "aws_kms_key": "KMS key",
    "aws_kms_alias": "KMS alias", "aws_cloudwatch_log_group": "log group", "aws_sqs_queue": "queue",
    "aws_glue_catalog_table": "Glue table", "aws_glue_catalog_database": "Glue database",
    "aws_athena_workgroup": "Athena workgroup",
}
#: Resources whose removal takes a protection away from the data they guard.
PROTECTION_TYPES = {
    "aws_s3_bucket_versioning": "versioning configuration removed (versioning is suspended)",
    "aws_s3_bucket_public_access_block": "public-access block removed",
    "aws_s3_bucket_policy": "bucket policy removed",
    "aws_s3_bucket_server_side_encryption_configuration": "bucket encryption configuration removed",
}


def _turned_off(before: Any, after: Any) -> bool:
    return before is True and after is not True


def _turned_on(before: Any, after: Any) -> bool:
    return before is not True and after is True


def _changed(before: Any, after: Any) -> bool:
    return bool(before != after)


def _shorter(before: Any, after: Any) -> bool:
    """A retention or window got shorter (0 / null = forever for log retention)."""
    if not isinstance(after, int) or after == 0:
        return False
    return not isinstance(before, int) or before == 0 or after < before


def _suspended(before: Any, after: Any) -> bool:
    return bool(before == "Enabled" and after != "Enabled")


@dataclass(frozen=True)
class Weakening:
    """An attribute change of one resource type that weakens the data's protection."""

    resource_type: str
    path: str
    test: Callable[[Any, Any], bool]
    why: str


WEAKENINGS = (
    Weakening("aws_dynamodb_table", "point_in_time_recovery[0].enabled", _turned_off, "point-in-time recovery turned off"),
    Weakening("aws_dynamodb_table", "deletion_protection_enabled", _turned_off, "deletion protection turned off"),
    Weakening("aws_dynamodb_table", "server_side_encryption", _changed, "table encryption changed"),
    Weakening("aws_s3_bucket_versioning", "versioning_configuration[0].status", _suspended, "versioning suspended"),
    Weakening("aws_s3_bucket", "force_destroy", _turned_on, "force_destroy turned on"),
    Weakening("aws_cloudwatch_log_group", "retention_in_days", _shorter, "log retention shortened"),
    Weakening("aws_cloudwatch_log_group", "kms_key_id", _changed, "log group encryption changed"),
    Weakening("aws_kms_key", "deletion_window_in_days", _shorter, "key deletion window shortened"),
    Weakening("aws_kms_key", "enable_key_rotation", _turned_off, "key rotation turned off"),
    Weakening("aws_kms_key", "policy", _changed, "key policy changed"),
    Weakening("aws_s3_bucket_policy", "policy", _changed, "bucket policy changed"),
    Weakening("aws_s3_bucket_server_side_encryption_configuration", "rule", _changed, "bucket encryption changed"),
    Weakening("aws_sqs_queue", "kms_master_key_id", _changed, "queue encryption changed"),
    Weakening("aws_sqs_queue", "sqs_managed_sse_enabled", _turned_off, "queue encryption turned off"),
    Weakening("aws_sns_topic", "kms_master_key_id", _changed, "topic encryption changed"),
    *(Weakening("aws_s3_bucket_public_access_block", flag, _turned_off, f"public-access block: {flag} turned off")
      for flag in ("block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets")),
)


def _removal(kind: str, actions: list[str], replace_paths: list[list[Any]]) -> str | None:
    if "delete" not in actions:
        return None
    if kind in STATEFUL_TYPES:
        noun = STATEFUL_TYPES[kind]
        if "create" not in actions:
            return f"{noun} destroyed: its data is lost"
        because = ", ".join(".".join(str(p) for p in path) for path in replace_paths)
        return f"{noun} replaced (destroyed, then created empty)" + (f" because {because} changed" if because else "")
    if kind in PROTECTION_TYPES and "create" not in actions:
        return PROTECTION_TYPES[kind]
    return None


def data_loss_reasons(resource_change: dict[str, Any]) -> list[str]:
    """Why this planned change can lose data or weaken its protection (empty when it cannot)."""
    kind, change = resource_change.get("type", ""), resource_change.get("change") or {}
    actions = list(change.get("actions") or [])
    removal = _removal(kind, actions, list(change.get("replace_paths") or []))
    if removal is not None:
        return [removal]
    if actions != ["update"]:
        return []
    before, after = change.get("before") or {}, change.get("after") or {}
    return [rule.why for rule in WEAKENINGS
            if rule.resource_type == kind and rule.test(lookup(before, rule.path), lookup(after, rule.path))]

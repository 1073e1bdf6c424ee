"""Which planned changes the review lists as data loss (delete/replace of stateful resources, weakened protection)."""

from __future__ import annotations

from typing import Any

import pytest

from localcloud.review.data_loss import STATEFUL_TYPES, data_loss_reasons
from tests.unit.review.changes import resource_change


@pytest.mark.parametrize("kind", sorted(STATEFUL_TYPES))
def test_destroying_a_stateful_resource_is_data_loss(kind: str) -> None:
    # Given the delete of a resource that holds data
    change = resource_change(f"{kind}.x", ["delete"], {"name": "x"}, None)
    # When it is reviewed
    reasons = data_loss_reasons(change)
    # Then it is listed as destroyed
    assert reasons == [f"{STATEFUL_TYPES[kind]} destroyed: its data is lost"]


def test_replacing_a_table_names_what_forces_it() -> None:
    # Given a table replaced because its hash key changed
    change = resource_change("aws_dynamodb_table.t", ["delete", "create"], {"hash_key": "a"}, {"hash_key": "b"},
                             replace_paths=[["hash_key"]])
    # When it is reviewed
    reasons = data_loss_reasons(change)
    # Then the reason says replaced, and why
    assert reasons == ["table replaced (destroyed, then created empty) because hash_key changed"]


def test_create_before_destroy_replacement_counts_too() -> None:
    change = resource_change("aws_sqs_queue.q", ["create", "delete"], {"name": "a"}, {"name": "b"})
    assert data_loss_reasons(change) == ["queue replaced (destroyed, then created empty)"]


@pytest.mark.parametrize(
    ("address", "before", "after", "why"),
    [
        ("aws_dynamodb_table.t", {"point_in_time_recovery": [{"enabled": True}]},
         {"point_in_time_recovery": [{"enabled": False}]}, "point-in-time recovery turned off"),
        ("aws_dynamodb_table.t", {"deletion_protection_enabled": True}, {"deletion_protection_enabled": False},
         "deletion protection turned off"),
        ("aws_s3_bucket_versioning.v", {"versioning_configuration": [{"status": "Enabled"}]},
         {"versioning_configuration": [{"status": "Suspended"}]}, "versioning suspended"),
        ("aws_s3_bucket.b", {"force_destroy": False}, {"force_destroy": True}, "force_destroy turned on"),
        ("aws_cloudwatch_log_group.g", {"retention_in_days": 365}, {"retention_in_days": 30}, "log retention shortened"),
        ("aws_cloudwatch_log_group.g", {"retention_in_days": 0}, {"retention_in_days": 3650}, "log retention shortened"),
        ("aws_kms_key.k", {"deletion_window_in_days": 30}, {"deletion_window_in_days": 7}, "key deletion window shortened"),
        ("aws_kms_key.k", {"policy": '{"Statement": []}'}, {"policy": '{"Statement": [{}]}'}, "key policy changed"),
        ("aws_s3_bucket_policy.p", {"policy": "a"}, {"policy": "b"}, "bucket policy changed"),
        ("aws_s3_bucket_public_access_block.p", {"block_public_policy": True}, {"block_public_policy": False},
         "public-access block: block_public_policy turned off"),
        ("aws_s3_bucket_server_side_encryption_configuration.e", {"rule": [{"bucket_key_enabled": True}]},
         {"rule": [{"bucket_key_enabled": False}]}, "bucket encryption changed"),
    ],
    ids=["pitr", "deletion-protection", "versioning", "force-destroy", "retention", "retention-from-forever",
         "key-window", "key-policy", "bucket-policy", "public-access", "encryption"],
)
def test_an_update_that_weakens_protection_is_listed(address: str, before: dict[str, Any], after: dict[str, Any],
                                                     why: str) -> None:
    # Given an update that takes protection away from data
    change = resource_change(address, ["update"], before, after)
    # When it is reviewed
    reasons = data_loss_reasons(change)
    # Then it is listed with what it weakens
    assert reasons == [why]


@pytest.mark.parametrize(
    ("address", "actions", "before", "after"),
    [
        ("aws_cloudwatch_log_group.g", ["update"], {"retention_in_days": 7}, {"retention_in_days": 14}),
        ("aws_dynamodb_table.t", ["update"], {"point_in_time_recovery": [{"enabled": False}]},
         {"point_in_time_recovery": [{"enabled": True}]}),
        ("aws_s3_bucket.b", ["create"], None, {"bucket": "b"}),
        ("aws_lambda_function.f", ["update"], {"memory_size": 256}, {"memory_size": 512}),
        ("aws_lambda_function.f", ["delete"], {"memory_size": 256}, None),
        ("aws_s3_bucket_versioning.v", ["update"], {"versioning_configuration": [{"status": "Suspended"}]},
         {"versioning_configuration": [{"status": "Enabled"}]}),
    ],
    ids=["longer-retention", "pitr-on", "new-bucket", "lambda-memory", "lambda-deleted", "versioning-on"],
)
def test_a_change_that_keeps_data_safe_is_not_listed(address: str, actions: list[str], before: dict[str, Any] | None,
                                                     after: dict[str, Any] | None) -> None:
    # Given a change that neither destroys data nor weakens its protection
    change = resource_change(address, actions, before, after)
    # When it is reviewed
    reasons = data_loss_reasons(change)
    # Then nothing is listed
    assert reasons == []


def test_removing_the_versioning_resource_suspends_versioning() -> None:
    # Given the delete of a bucket's versioning configuration (terraform suspends versioning)
    change = resource_change("aws_s3_bucket_versioning.v", ["delete"], {"bucket": "b"}, None)
    # Then it is listed
    assert data_loss_reasons(change) == ["versioning configuration removed (versioning is suspended)"]

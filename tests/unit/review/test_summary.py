"""A stack's review: counts, changes with construct paths and attribute paths, IAM grants, the summary files."""

from __future__ import annotations

import json
from pathlib import Path

from localcloud.review.attributes import HIDDEN, changed_attributes, shown_value
from localcloud.review.iam import iam_changes
from localcloud.review.paths import construct_path, construct_paths
from localcloud.review.render import summary_markdown, write_summary
from localcloud.review.summary import DATA_LOSS_EXIT, blocked_stack, data_loss_exit, review_stack
from tests.synth import Synth
from tests.unit.review.changes import plan, resource_change, tf_json

ROLE_POLICY = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "arn:aws:s3:::raw/*"}]}
WIDER_POLICY = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "arn:aws:s3:::raw/*"}]}


def test_every_synthesized_resource_has_its_construct_path(local: Synth) -> None:
    # Given the synthesized storage stack
    paths = construct_paths(local.stack("storage"))
    # Then the audit table's address maps to its construct path
    assert paths[next(a for a in paths if a.startswith("aws_dynamodb_table.audit"))] == "storage-local/audit/table"


def test_a_renamed_construct_is_named_from_its_logical_id() -> None:
    # Given an address no synthesized JSON declares any more
    path = construct_path({}, "aws_dynamodb_table.audit_table_8486814A", stack="storage-local")
    # Then its path is read back from cdktf's logical id, and says so
    assert path == "storage-local/audit/table (from its logical id)"


def test_counts_and_changes_name_the_construct() -> None:
    # Given a plan that creates one function, updates another's memory and replaces a queue
    reviewed = review_stack(plan(
        resource_change("aws_lambda_function.a", ["create"], None, {"memory_size": 256}),
        resource_change("aws_lambda_function.b", ["update"], {"memory_size": 256}, {"memory_size": 512}),
        resource_change("aws_sqs_queue.q", ["delete", "create"], {"name": "q1"}, {"name": "q2"}),
        resource_change("aws_s3_bucket.same", ["no-op"], {"bucket": "x"}, {"bucket": "x"}),
    ), tf_json(aws_lambda_function__b="processing-local/load/function"))
    # Then each kind is counted once and the update names its construct and attribute
    assert (reviewed.counts, reviewed.changes[1]) == (
        {"create": 1, "update": 1, "replace": 1, "delete": 0},
        {"address": "aws_lambda_function.b", "construct_path": "processing-local/load/function",
         "actions": ["update"], "attributes": ["memory_size"]})


def test_attribute_paths_reach_into_nested_blocks() -> None:
    change = {"before": {"environment": [{"variables": {"A": "1", "B": "2"}}]},
              "after": {"environment": [{"variables": {"A": "1", "B": "3"}}]}}
    assert changed_attributes(change) == ["environment[0].variables.B"]


def test_sensitive_values_are_hidden() -> None:
    # Given a change to a value terraform marks sensitive
    change = {"before": {"password": "old"}, "after": {"password": "new"}, "after_sensitive": {"password": True}}
    # Then the reviewer sees that it changed, never the value
    assert (changed_attributes(change), shown_value(change, "after", "password")) == (["password"], HIDDEN)


def test_iam_changes_list_grants_added_and_removed() -> None:
    # Given a role policy that gains s3:PutObject
    change = {"before": {"policy": json.dumps(ROLE_POLICY)}, "after": {"policy": json.dumps(WIDER_POLICY)}}
    # Then the grant is listed as added, and nothing as removed
    assert iam_changes(change) == {"added": ["Allow s3:PutObject on arn:aws:s3:::raw/*"], "removed": []}


def test_a_policy_known_only_after_apply_is_not_read_as_removed() -> None:
    change = {"before": {"policy": json.dumps(ROLE_POLICY)}, "after": {}, "after_unknown": {"policy": True}}
    assert iam_changes(change) == {"added": ["(policy known after apply)"], "removed": []}


def test_data_loss_comes_first_in_the_comment() -> None:
    # Given one stack whose plan destroys a table, and one that waits for it
    reviews = {"storage-dev": review_stack(plan(resource_change("aws_dynamodb_table.t", ["delete"], {}, None)),
                                           tf_json(aws_dynamodb_table__t="storage-dev/audit/table")),
               "api-dev": blocked_stack("waits for storage-dev")}
    # When the comment is rendered
    text = summary_markdown("dev", reviews)
    # Then the data-loss table comes before the counts, and the blocked stack says why
    assert (text.index("Data loss (1)") < text.index("| stack | create"), "Not planned: waits for storage-dev" in text) == (
        True, True)


def test_fail_on_data_loss_exits_with_the_data_loss_code_when_a_table_is_destroyed() -> None:
    # Given one stack whose plan destroys a table, beside a stack not planned yet
    reviews = {"storage-dev": review_stack(plan(resource_change("aws_dynamodb_table.t", ["delete"], {}, None)), {}),
               "api-dev": blocked_stack("waits for storage-dev")}
    # Then `make plan FAIL_ON=data-loss` exits with the data-loss code
    assert data_loss_exit(reviews, "data-loss") == DATA_LOSS_EXIT


def test_without_fail_on_a_data_loss_does_not_fail_the_plan() -> None:
    reviews = {"storage-dev": review_stack(plan(resource_change("aws_dynamodb_table.t", ["delete"], {}, None)), {})}
    assert data_loss_exit(reviews, "") == 0


def test_fail_on_data_loss_passes_a_plan_without_data_loss() -> None:
    reviews = {"processing-dev": review_stack(plan(
        resource_change("aws_lambda_function.b", ["update"], {"memory_size": 256}, {"memory_size": 512})), {})}
    assert data_loss_exit(reviews, "data-loss") == 0


def test_the_summary_files_have_the_documented_shape(tmp_path: Path) -> None:
    # Given a reviewed stack
    reviews = {"storage-dev": review_stack(plan(resource_change("aws_kms_key.k", ["delete"], {}, None)), {})}
    # When the summary is written
    as_json, _ = write_summary(tmp_path, "dev", reviews)
    # Then summary.json carries the workspace, the counts, the data loss and the changes
    assert json.loads(as_json.read_text()) == {"workspace": "dev", "stacks": {"storage-dev": {
        "create": 0, "update": 0, "replace": 0, "delete": 1,
        "data_loss": [{"address": "aws_kms_key.k", "construct_path": "k (from its logical id)",
                       "why": "KMS key destroyed: its data is lost"}],
        "changes": [{"address": "aws_kms_key.k", "construct_path": "k (from its logical id)", "actions": ["delete"],
                     "attributes": []}]}}}

"""The drift report: `resource_drift` of a refresh-only JSON plan, with construct paths and changed attributes."""

from __future__ import annotations

from localcloud.review.drift import drift_lines, drifted
from tests.unit.review.changes import resource_change, tf_json

PATHS = tf_json(aws_lambda_function__load_9A8B7C6D="processing-local/load/function")
PATHS["resource"]["aws_lambda_function"]["load_9A8B7C6D"].update(memory_size=3008, role="arn:role", policy="{}")


def test_a_changed_resource_is_named_with_its_attributes() -> None:
    # Given a refresh that read back another memory size than the state recorded
    plan = {"resource_drift": [resource_change("aws_lambda_function.load_9A8B7C6D", ["update"],
                                               {"memory_size": 3008}, {"memory_size": 1024})]}
    # When the drift is read
    found = drifted(plan, PATHS)
    # Then the function is named by its construct path, with the changed attribute
    assert found == [{"address": "aws_lambda_function.load_9A8B7C6D", "construct_path": "processing-local/load/function",
                      "actions": ["update"], "attributes": ["memory_size"]}]


def test_no_resource_drift_is_no_drift() -> None:
    assert drifted({"format_version": "1.2"}, PATHS) == []


def test_the_report_says_which_stacks_are_clean_drifted_or_unchecked() -> None:
    report = {"storage-local": [], "processing-local": [{"address": "a.b", "construct_path": "p/f", "actions": ["update"],
                                                         "attributes": ["memory_size"]}],
              "api-local": "not applied: nothing to compare"}
    assert drift_lines(report) == ["storage-local: no drift", "processing-local: 1 drifted",
                                   "  p/f (a.b, update): memory_size", "api-local: not applied: nothing to compare"]


def test_a_computed_attribute_the_code_never_set_is_not_drift() -> None:
    # Given a refresh that read back a role's inline policies (set by separate policy resources)
    plan = {"resource_drift": [resource_change("aws_lambda_function.load_9A8B7C6D", ["update"],
                                               {"inline_policy": []}, {"inline_policy": [{"name": "p"}]})]}
    # Then nothing is reported
    assert drifted(plan, PATHS) == []


def test_a_policy_read_back_with_other_formatting_is_not_drift() -> None:
    plan = {"resource_drift": [resource_change("aws_lambda_function.load_9A8B7C6D", ["update"],
                                               {"policy": '{"a": 1, "b": [2]}'}, {"policy": '{"b":[2],"a":1}'})]}
    assert drifted(plan, PATHS) == []


def test_a_resource_deleted_out_of_band_is_drift() -> None:
    plan = {"resource_drift": [resource_change("aws_lambda_function.load_9A8B7C6D", ["delete"], {"memory_size": 1}, None)]}
    assert [d["actions"] for d in drifted(plan, PATHS)] == [["delete"]]


def test_a_block_written_as_one_object_is_matched_as_a_list_of_one() -> None:
    # Given versioning declared as `{"status": "Enabled"}` (cdk.tf.json) and read back as a list of blocks
    config = tf_json(aws_s3_bucket_versioning__raw="storage/raw/versioning")
    config["resource"]["aws_s3_bucket_versioning"]["raw"]["versioning_configuration"] = {"status": "Enabled"}
    plan = {"resource_drift": [resource_change("aws_s3_bucket_versioning.raw", ["update"],
                                               {"versioning_configuration": [{"status": "Enabled"}]},
                                               {"versioning_configuration": [{"status": "Suspended"}]})]}
    # Then the suspended status is drift
    assert [d["attributes"] for d in drifted(plan, config)] == [["versioning_configuration[0].status"]]


def test_a_default_inside_a_declared_block_is_not_drift() -> None:
    # Given an alarm's metric query declared without a period, read back with one
    config = tf_json(aws_cloudwatch_metric_alarm__rate="observability/alarms/rate")
    config["resource"]["aws_cloudwatch_metric_alarm"]["rate"]["metric_query"] = [{"id": "e1", "expression": "m1/m2"}]
    plan = {"resource_drift": [resource_change("aws_cloudwatch_metric_alarm.rate", ["update"],
                                               {"metric_query": [{"id": "e1", "period": 0}]},
                                               {"metric_query": [{"id": "e1", "period": 60}]})]}
    # Then nothing is reported
    assert drifted(plan, config) == []

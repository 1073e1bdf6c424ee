"""Distributed Map ResultWriter: the result files and manifest as AWS writes them ("ResultWriter (Map)")."""

from __future__ import annotations

import json
import uuid
from typing import Any

import boto3
import pytest

from localcloud.emulator import Emulator
from tests.localcloud.test_stepfunctions_limits import run


def distributed_map(bucket: str, child: dict[str, Any], tolerated: float = 0.0) -> dict[str, Any]:
    return {"StartAt": "Each", "States": {"Each": {
        "Type": "Map", "ItemsPath": "$.items", "ToleratedFailurePercentage": tolerated,
        "ItemSelector": {"n.$": "$$.Map.Item.Value", "tag": "t"},
        "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                          "StartAt": "Child", "States": {"Child": child}},
        "ResultWriter": {"Resource": "arn:aws:states:::s3:putObject", "Parameters": {"Bucket": bucket, "Prefix": "results"}},
        "End": True}}}


@pytest.fixture
def bucket(emulator: Emulator) -> str:
    name = f"rw-{uuid.uuid4().hex[:10]}"
    boto3.client("s3").create_bucket(Bucket=name)
    return name


def read(bucket: str, key: str) -> Any:
    return json.loads(boto3.client("s3").get_object(Bucket=bucket, Key=key)["Body"].read())


def test_the_state_output_points_at_the_manifest_instead_of_holding_results(bucket: str) -> None:
    # Given a Distributed Map with a ResultWriter over three items
    execution = run(distributed_map(bucket, {"Type": "Pass", "End": True}), {"items": [1, 2, 3]})
    # Then its output is the map run ARN and the manifest location, not the child outputs
    assert execution["status"] == "SUCCEEDED", execution.get("cause")
    output = json.loads(execution["output"])
    assert set(output) == {"MapRunArn", "ResultWriterDetails"}
    run_id = output["MapRunArn"].split(":")[-1]
    assert output["ResultWriterDetails"] == {"Bucket": bucket, "Key": f"results/{run_id}/manifest.json"}


def test_the_manifest_lists_the_succeeded_file_with_its_size(bucket: str) -> None:
    output = json.loads(run(distributed_map(bucket, {"Type": "Pass", "End": True}), {"items": [1, 2]})["output"])
    manifest = read(bucket, output["ResultWriterDetails"]["Key"])
    run_id = output["MapRunArn"].split(":")[-1]
    assert manifest["DestinationBucket"] == bucket and manifest["MapRunArn"] == output["MapRunArn"]
    (entry,) = manifest["ResultFiles"]["SUCCEEDED"]
    assert entry["Key"] == f"results/{run_id}/SUCCEEDED_0.json"
    head = boto3.client("s3").head_object(Bucket=bucket, Key=entry["Key"])
    assert entry["Size"] == head["ContentLength"]
    assert manifest["ResultFiles"]["FAILED"] == [] and manifest["ResultFiles"]["PENDING"] == []


def test_each_child_is_recorded_with_input_and_output_as_json_strings(bucket: str) -> None:
    child = {"Type": "Pass", "Parameters": {"double.$": "States.MathAdd($.n, $.n)"}, "End": True}
    output = json.loads(run(distributed_map(bucket, child), {"items": [1, 2, 3]})["output"])
    (entry,) = read(bucket, output["ResultWriterDetails"]["Key"])["ResultFiles"]["SUCCEEDED"]
    executions = read(bucket, entry["Key"])
    assert sorted(json.loads(e["Output"])["double"] for e in executions) == [2, 4, 6]
    assert sorted(json.loads(e["Input"])["n"] for e in executions) == [1, 2, 3]
    first = executions[0]
    assert first["Status"] == "SUCCEEDED" and first["InputDetails"] == {"Included": True}
    assert first["ExecutionArn"].endswith(f":{first['Name']}") and ":execution:" in first["ExecutionArn"]
    assert {"StartDate", "StopDate", "StateMachineArn", "RedriveCount", "RedriveStatus"} <= set(first)


def test_failed_children_go_to_a_failed_file_with_error_and_cause(bucket: str) -> None:
    # Given every child fails and the map tolerates it
    child = {"Type": "Fail", "Error": "Boom", "Cause": "no"}
    output = json.loads(run(distributed_map(bucket, child, tolerated=100.0), {"items": [1, 2]})["output"])
    files = read(bucket, output["ResultWriterDetails"]["Key"])["ResultFiles"]
    # Then the failures are in FAILED_0.json and there is no succeeded file
    assert files["SUCCEEDED"] == []
    failed = read(bucket, files["FAILED"][0]["Key"])
    assert [(e["Status"], e["Error"], e["Cause"]) for e in failed] == [("FAILED", "Boom", "no")] * 2


def test_a_failed_child_fails_the_map_run_when_nothing_is_tolerated(bucket: str) -> None:
    # Given one of three children fails and the map tolerates 0 %
    child = {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericEquals": 2, "Next": "Boom"}], "Default": "Fine"}
    processor = {"Child": child, "Boom": {"Type": "Fail", "Error": "Boom"}, "Fine": {"Type": "Pass", "End": True}}
    definition = distributed_map(bucket, child)
    definition["States"]["Each"]["ItemProcessor"]["States"] = processor
    execution = run(definition, {"items": [1, 2, 3]})
    # Then the map state fails with the threshold error
    assert execution["status"] == "FAILED"
    assert execution["error"] == "States.ExceedToleratedFailureThreshold"


def test_failure_threshold_rule() -> None:
    from localcloud.patches.stepfunctions_result_writer import exceeds_threshold

    assert exceeds_threshold(failed=1, total=10, tolerated_count=0, tolerated_percentage=0.0)
    assert not exceeds_threshold(failed=1, total=10, tolerated_count=0, tolerated_percentage=10.0)
    assert exceeds_threshold(failed=2, total=10, tolerated_count=0, tolerated_percentage=10.0)
    assert not exceeds_threshold(failed=3, total=10, tolerated_count=3, tolerated_percentage=0.0)

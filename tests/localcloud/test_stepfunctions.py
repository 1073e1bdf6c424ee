"""The Step Functions calls the AWS provider needs, and definitions refused as AWS refuses them."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from localcloud.emulator import Emulator
from tests.localcloud.helpers import role

DEFINITION = {"StartAt": "Done", "States": {"Done": {"Type": "Pass", "End": True}}}
FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:lc-sfn-asl"


def task_machine(parameters: dict[str, Any], next_: str = "Done") -> str:
    """A Lambda task with `parameters`, then `next_` (a missing state when it is not "Done")."""
    return json.dumps({"StartAt": "Work", "States": {
        "Work": {"Type": "Task", "Resource": FUNCTION, "Parameters": parameters, "Next": next_},
        "Done": {"Type": "Succeed"}}})


COLLIDING = task_machine({"format": "csv", "format.$": "$.format"})


def test_validate_state_machine_definition(emulator: Emulator) -> None:
    sfn = boto3.client("stepfunctions")
    ok = sfn.validate_state_machine_definition(definition=json.dumps(DEFINITION), type="STANDARD")
    assert ok["result"] == "OK" and ok["diagnostics"] == []
    bad = sfn.validate_state_machine_definition(definition=json.dumps({"StartAt": "X", "States": {"X": {"Type": "Nope"}}}))
    assert bad["result"] == "FAIL"
    assert bad["diagnostics"][0]["severity"] == "ERROR"


def test_list_state_machine_versions(emulator: Emulator) -> None:
    iam = boto3.client("iam")
    role = iam.create_role(RoleName="sfn-versions-test", AssumeRolePolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "states.amazonaws.com"},
                                                "Action": "sts:AssumeRole"}]}))["Role"]["Arn"]
    sfn = boto3.client("stepfunctions")
    arn = sfn.create_state_machine(name="versions-test", definition=json.dumps(DEFINITION), roleArn=role)["stateMachineArn"]
    assert sfn.list_state_machine_versions(stateMachineArn=arn)["stateMachineVersions"] == []
    sfn.update_state_machine(stateMachineArn=arn, definition=json.dumps(DEFINITION), publish=True)
    versions = sfn.list_state_machine_versions(stateMachineArn=arn)["stateMachineVersions"]
    assert [v["stateMachineVersionArn"] for v in versions] == [f"{arn}:1"]
    sfn.delete_state_machine(stateMachineArn=arn)
    iam.delete_role(RoleName="sfn-versions-test")


def test_unnamed_executions_get_unique_names(emulator: Emulator) -> None:
    sfn = boto3.client("stepfunctions")
    role = boto3.client("iam").create_role(RoleName="sfn-unnamed-test", AssumeRolePolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "states.amazonaws.com"},
                                                "Action": "sts:AssumeRole"}]}))["Role"]["Arn"]
    arn = sfn.create_state_machine(name="unnamed-test", definition=json.dumps(DEFINITION), roleArn=role)["stateMachineArn"]
    first = sfn.start_execution(stateMachineArn=arn, input="{}")["executionArn"]
    second = sfn.start_execution(stateMachineArn=arn, input="{}")["executionArn"]
    assert first != second and not first.endswith(":None")


def test_validate_accepts_a_task_definition_aws_accepts(emulator: Emulator) -> None:
    # Given a Lambda task whose payload template has distinct keys
    sfn = boto3.client("stepfunctions")
    # When it is validated
    answer = sfn.validate_state_machine_definition(definition=task_machine({"format.$": "$.format"}))
    # Then the emulator answers OK without diagnostics
    assert (answer["result"], answer["diagnostics"]) == ("OK", [])


def test_validate_fails_payload_keys_that_collide_once_the_suffix_is_stripped(emulator: Emulator) -> None:
    # Given "format" and "format.$" in one Parameters object (moto's parser accepts it, AWS does not)
    sfn = boto3.client("stepfunctions")
    # When it is validated
    answer = sfn.validate_state_machine_definition(definition=COLLIDING, type="STANDARD")
    # Then the result is FAIL with one ERROR diagnostic naming the rule, in AWS's shape
    assert answer["result"] == "FAIL"
    assert [(d["severity"], d["code"]) for d in answer["diagnostics"]] == [("ERROR", "DUPLICATE_FIELD_NAME")]
    assert "format" in answer["diagnostics"][0]["message"]


def test_validate_fails_a_next_to_a_missing_state(emulator: Emulator) -> None:
    sfn = boto3.client("stepfunctions")
    answer = sfn.validate_state_machine_definition(definition=task_machine({}, next_="Nowhere"))
    assert answer["result"] == "FAIL"
    assert "MISSING_TRANSITION_TARGET" in {d["code"] for d in answer["diagnostics"]}


def test_create_state_machine_refuses_an_invalid_definition_with_invalid_definition(emulator: Emulator) -> None:
    # Given a definition AWS refuses
    sfn = boto3.client("stepfunctions")
    # When a state machine is created from it
    with pytest.raises(ClientError) as refused:
        sfn.create_state_machine(name="lc-asl-colliding", definition=COLLIDING,
                                 roleArn=role("lc-sfn-asl", "states.amazonaws.com"))
    # Then the call fails as AWS's does: InvalidDefinition, HTTP 400, the diagnostics in the message
    error = refused.value.response
    assert error["Error"]["Code"] == "InvalidDefinition"
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert error["Error"]["Message"].startswith("Invalid State Machine Definition: 'DUPLICATE_FIELD_NAME: ")
    # And nothing was created
    assert "lc-asl-colliding" not in {m["name"] for m in sfn.list_state_machines()["stateMachines"]}


def test_create_state_machine_refuses_what_moto_cannot_parse_with_invalid_definition(emulator: Emulator) -> None:
    sfn = boto3.client("stepfunctions")
    with pytest.raises(ClientError) as refused:
        sfn.create_state_machine(name="lc-asl-unparsable", roleArn=role("lc-sfn-asl", "states.amazonaws.com"),
                                 definition=json.dumps({"StartAt": "X", "States": {"X": {"Type": "Nope"}}}))
    assert refused.value.response["Error"]["Code"] == "InvalidDefinition"


def test_update_state_machine_refuses_an_invalid_definition_and_keeps_the_old_one(emulator: Emulator) -> None:
    # Given a state machine created from a valid definition
    sfn = boto3.client("stepfunctions")
    valid = task_machine({"format.$": "$.format"})
    arn = sfn.create_state_machine(name="lc-asl-update", definition=valid,
                                   roleArn=role("lc-sfn-asl", "states.amazonaws.com"))["stateMachineArn"]
    # When it is updated to a definition AWS refuses
    with pytest.raises(ClientError) as refused:
        sfn.update_state_machine(stateMachineArn=arn, definition=COLLIDING)
    # Then the update fails with InvalidDefinition and the stored definition is unchanged
    assert refused.value.response["Error"]["Code"] == "InvalidDefinition"
    assert sfn.describe_state_machine(stateMachineArn=arn)["definition"] == valid
    sfn.delete_state_machine(stateMachineArn=arn)

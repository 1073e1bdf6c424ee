"""The two Step Functions calls the AWS provider needs."""

from __future__ import annotations

import json

import boto3

from localcloud.emulator import Emulator

DEFINITION = {"StartAt": "Done", "States": {"Done": {"Type": "Pass", "End": True}}}


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

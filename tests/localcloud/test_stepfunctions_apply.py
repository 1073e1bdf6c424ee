"""A definition AWS refuses fails `terraform apply` against the emulator, as it would in AWS.

The AWS provider 5.100 validates the definition in the `aws_sfn_state_machine` CustomizeDiff
(ValidateStateMachineDefinition; FAIL is an error). A definition unknown at the first plan is
validated in the plan terraform makes during apply, once the value is known, before
CreateStateMachine (measured here); CreateStateMachine's own InvalidDefinition is the backstop for
other clients (tests in test_stepfunctions.py).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import boto3
import pytest

from localcloud.emulator import Emulator
from tests.tf import terraform, terraform_env

pytestmark = pytest.mark.terraform

ROLE = "arn:aws:iam::123456789012:role/lc-sfn-apply"
NAME = "lc-asl-apply-colliding"
COLLIDING_STATES = {"Work": {"Type": "Pass", "Parameters": {"x": 1, "x.$": "$.x"}, "End": True}}


def config(emulator: Emulator, state: Path, definition: Any) -> dict[str, Any]:
    """One state machine with `definition` (a JSON text or a Terraform expression) in the emulator."""
    endpoints = {s: emulator.endpoint for s in ("sfn", "iam", "sts")}
    return {
        "terraform": {"backend": {"local": {"path": str(state)}}},
        "provider": {"aws": {"region": emulator.region, "access_key": "test", "secret_key": "test",
                             "skip_credentials_validation": True, "skip_requesting_account_id": True,
                             "skip_metadata_api_check": "true", "endpoints": [endpoints]}},
        "resource": {"terraform_data": {"later": {"input": "x"}},
                     "aws_sfn_state_machine": {"bad": {"name": NAME, "role_arn": ROLE,
                                                       "definition": definition}}},
    }


def apply_fails(emulator: Emulator, tmp_path: Path, definition: Any) -> str:
    workdir = tmp_path / "tf"
    workdir.mkdir()
    (workdir / "main.tf.json").write_text(json.dumps(config(emulator, tmp_path / "state.tfstate", definition)))
    env = terraform_env(tmp_path)
    terraform(["init", "-input=false"], cwd=workdir, env=env)
    with pytest.raises(AssertionError) as failed:
        terraform(["apply", "-auto-approve", "-input=false"], cwd=workdir, env=env, timeout=300)
    return str(failed.value)


def test_a_colliding_definition_fails_the_apply_and_creates_nothing(emulator: Emulator, tmp_path: Path) -> None:
    # Given a definition with "x" and "x.$" in one payload template and a Comment only known after
    # apply (as the pipeline's Lambda ARNs are), so the first plan cannot validate it
    machine = json.dumps({"StartAt": "Work", "States": COLLIDING_STATES})  # a JSON object is an HCL object too
    definition = f"${{jsonencode(merge({machine}, {{Comment = terraform_data.later.id}}))}}"
    # When terraform applies it
    output = apply_fails(emulator, tmp_path, definition)
    # Then the provider's validation during apply refuses it, naming the rule, and no state machine exists
    assert "invalid Step Functions State Machine definition: ERROR (DUPLICATE_FIELD_NAME)" in output
    assert NAME not in {m["name"] for m in boto3.client("stepfunctions").list_state_machines()["stateMachines"]}

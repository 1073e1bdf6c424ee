"""Every synthesized state machine definition passes the real asl-validator, as AWS would accept it.

AWS validates a definition on CreateStateMachine/UpdateStateMachine (Step Functions API Reference,
ValidateStateMachineDefinition) against the Amazon States Language spec; moto does not. The
definitions hold Terraform references: `tests.resolve.Resolver` replaces them with what an apply
produces (Lambda function ARNs for Task resources, bucket and bus names, topic ARNs).
Mutation tests show the check fails on what AWS refuses.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from localcloud.asl import AslValidator, AslValidatorMissing, validate
from stacks.config import WORKSPACE_NAMES
from tests.resolve import Resolver
from tests.synth import Synth


def definitions(synth: Synth) -> dict[str, str]:
    """`<stack>.<resource>` -> the resolved definition of every state machine of every stack."""
    return {
        f"{concern}.{name}": Resolver(synth, concern).text(body["definition"])
        for concern, type_, name, body in synth.all_resources() if type_ == "aws_sfn_state_machine"
    }


def pipeline_definition(synth: Synth) -> dict[str, Any]:
    (text,) = definitions(synth).values()
    parsed: dict[str, Any] = json.loads(text)
    return parsed


@pytest.mark.parametrize("workspace", WORKSPACE_NAMES)
def test_every_state_machine_definition_passes_asl_validator(synth_of, workspace: str) -> None:  # type: ignore[no-untyped-def]
    # Given every state machine definition of the workspace, references resolved
    found = definitions(synth_of(workspace))
    assert found, f"no aws_sfn_state_machine in {workspace}: the check would pass vacuously"
    # When asl-validator checks each / Then none has a diagnostic
    assert {name: [str(d) for d in validate(text)] for name, text in found.items()} == {name: [] for name in found}


def test_resolved_definitions_hold_no_terraform_reference(local: Synth) -> None:
    assert all("${" not in text for text in definitions(local).values())


def test_a_payload_key_next_to_its_dollar_twin_fails(local: Synth) -> None:
    # Given the pipeline with "format" added next to "format.$" in ValidateCsv (the bug AWS refused)
    machine = pipeline_definition(local)
    machine["States"]["ValidateCsv"]["Parameters"]["format"] = "csv"
    # When it is validated
    codes = [d.code for d in validate(json.dumps(machine))]
    # Then the collision is reported
    assert codes == ["DUPLICATE_FIELD_NAME"]


def test_a_next_to_a_missing_state_fails(local: Synth) -> None:
    machine = pipeline_definition(local)
    machine["States"]["MarkProcessing"]["Next"] = "StoreAndAuditt"
    assert "MISSING_TRANSITION_TARGET" in {d.code for d in validate(json.dumps(machine))}


def test_a_task_resource_that_is_not_an_arn_fails(local: Synth) -> None:
    # A function *name* where the ARN belongs. (asl-validator lets a bare "${...}" through as a
    # pre-deployment placeholder, hence the references are resolved above.)
    machine = pipeline_definition(local)
    machine["States"]["Register"]["Resource"] = "txnpipe-register-file-local"
    diagnostics = validate(json.dumps(machine))
    assert [(d.code, d.location) for d in diagnostics] == [("SCHEMA_VALIDATION_FAILED", "/States/Register/Resource")]


@pytest.mark.parametrize(("text", "code"), [("", "MISSING_DESCRIPTION"), ("{", "INVALID_JSON_DESCRIPTION"),
                                            ("[]", "SCHEMA_VALIDATION_FAILED")])
def test_text_that_is_no_definition_fails_with_awss_code(text: str, code: str) -> None:
    assert [d.code for d in validate(text)] == [code]


def test_results_are_cached_per_definition(local: Synth) -> None:
    # Given a fresh validator and one definition
    validator = AslValidator()
    (text,) = definitions(local).values()
    # When it is validated twice
    first, second = validator.validate(text), validator.validate(text)
    # Then node ran once and both answers agree
    assert (validator.runs, first) == (1, second)


def test_a_missing_asl_validator_says_run_make_install(tmp_path: Path) -> None:
    validator = AslValidator(node_modules=tmp_path / "node_modules")
    with pytest.raises(AslValidatorMissing, match="run make install"):
        validator.validate(json.dumps({"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}))

"""Addition: Step Functions calls moto 5.2.5 lacks or answers unlike AWS; definitions checked as AWS does.

* `ValidateStateMachineDefinition` (the AWS provider 5.100 calls it at plan time, in the
  `aws_sfn_state_machine` CustomizeDiff, whenever the definition is known, and fails the plan on
  `FAIL`): parses the definition with moto's own ASL parser (the one that executes it), then checks
  it with the real `asl-validator` (`localcloud.asl`: the ASL spec's rules, e.g. payload-template
  keys that collide once `.$` is stripped, `Next` to a missing state). Answers `OK`, or `FAIL` with
  diagnostics in AWS's shape (Step Functions API Reference, ValidateStateMachineDefinitionDiagnostic:
  severity/code/message/location).
* `CreateStateMachine` / `UpdateStateMachine` refuse what that check refuses, as AWS does
  (API Reference: "Step Functions will implicitly perform the same syntax check"; error
  `InvalidDefinition`, HTTP 400, message `Invalid State Machine Definition: '<code>: <message> at
  <location>, ...'`). moto accepted any definition its parser could read. This is what fails an
  apply whose definition holds references unknown at plan time (the provider skips validation then).
* `ListStateMachineVersions` (read after create): the published versions moto already keeps.
* `StartExecution` without a name: AWS generates a UUID; moto's executing backend named every such
  execution "None", so the second one failed with ExecutionAlreadyExists.
"""

from __future__ import annotations

from typing import Any

from localcloud import asl
from localcloud.asl import Diagnostic


def definition_diagnostics(definition: str) -> list[Diagnostic]:
    """What Step Functions would refuse in `definition`: moto's parse error, else asl-validator's errors."""
    from moto.stepfunctions.parser.asl.parse.asl_parser import AmazonStateLanguageParser

    try:
        AmazonStateLanguageParser.parse(definition)
    except Exception as exc:  # the parser raises many types; each is a refusal, reported as one diagnostic
        return [Diagnostic(severity="ERROR", code="SCHEMA_VALIDATION_FAILED",
                           message=f"{type(exc).__name__}: {exc}"[:1000], location="/")]
    return asl.validate(definition)


def _validate_state_machine_definition(self: Any) -> Any:
    from moto.core.responses import ActionResult

    diagnostics = definition_diagnostics(self._get_param("definition") or "")
    result = "FAIL" if diagnostics else "OK"
    return ActionResult({"result": result, "diagnostics": [d.to_aws() for d in diagnostics], "truncated": False})


def _refusing_invalid_definitions(original: Any) -> Any:
    """Wrap a Create/UpdateStateMachine response method: an invalid definition raises InvalidDefinition."""
    def action(self: Any) -> Any:
        from moto.core.exceptions import AWSError

        definition = self._get_param("definition")
        diagnostics = definition_diagnostics(definition) if definition is not None else []
        if diagnostics:
            listed = ", ".join(str(d) for d in diagnostics)
            raise AWSError(f"Invalid State Machine Definition: '{listed}'", exception_type="InvalidDefinition", status=400)
        return original(self)

    action._localcloud = True  # type: ignore[attr-defined]
    return action


def _list_state_machine_versions(self: Any) -> Any:
    from moto.core.responses import ActionResult

    arn = self._get_param("stateMachineArn")
    machine = self.stepfunction_backend.describe_state_machine(arn)
    versions = [
        {"stateMachineVersionArn": v.arn, "creationDate": v.creation_date}
        for _, v in sorted(getattr(machine, "versions", {}).items(), reverse=True)
    ]
    return ActionResult({"stateMachineVersions": versions})


def install() -> None:
    """Patch moto's Step Functions as the module docstring lists; refuse to start without asl-validator.

    Adds `ValidateStateMachineDefinition` and `ListStateMachineVersions` to its responses, wraps
    `CreateStateMachine`/`UpdateStateMachine` to refuse invalid definitions, and names unnamed executions.
    """
    import uuid

    from moto.stepfunctions.parser.models import StepFunctionsParserBackend
    from moto.stepfunctions.responses import StepFunctionResponse

    asl.DEFAULT.tools()  # fails here, naming what is missing, rather than at the first CreateStateMachine

    original = StepFunctionsParserBackend.start_execution
    if not getattr(original, "_localcloud", False):
        def start_execution(self: Any, state_machine_arn: str, name: Any = None, *args: Any, **kwargs: Any) -> Any:
            return original(self, state_machine_arn, name or str(uuid.uuid4()), *args, **kwargs)
        start_execution._localcloud = True  # type: ignore[attr-defined]
        StepFunctionsParserBackend.start_execution = start_execution  # type: ignore[method-assign]

    StepFunctionResponse.validate_state_machine_definition = _validate_state_machine_definition  # type: ignore[attr-defined]
    for name in ("create_state_machine", "update_state_machine"):
        if not getattr(getattr(StepFunctionResponse, name), "_localcloud", False):
            setattr(StepFunctionResponse, name, _refusing_invalid_definitions(getattr(StepFunctionResponse, name)))
    StepFunctionResponse.list_state_machine_versions = _list_state_machine_versions  # type: ignore[attr-defined]

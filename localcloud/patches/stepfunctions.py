"""Addition: the two Step Functions calls the AWS provider makes that moto 5.2.5 lacks.

* `ValidateStateMachineDefinition` (called by aws_sfn_state_machine before create/update):
  parses the definition with moto's own ASL parser (the one that executes it) and answers
  `OK`, or `FAIL` with the parser's message as one diagnostic. Only parse errors are reported;
  AWS's semantic checks (e.g. unreachable states) are not.
* `ListStateMachineVersions` (read after create): the published versions moto already keeps.
* `StartExecution` without a name: AWS generates a UUID; moto's executing backend named every such
  execution "None", so the second one failed with ExecutionAlreadyExists.
"""

from __future__ import annotations

from typing import Any


def _validate_state_machine_definition(self: Any) -> Any:
    from moto.core.responses import ActionResult
    from moto.stepfunctions.parser.asl.parse.asl_parser import AmazonStateLanguageParser

    definition = self._get_param("definition")
    try:
        AmazonStateLanguageParser.parse(definition)
    except Exception as exc:
        diagnostic = {"severity": "ERROR", "code": "SCHEMA_VALIDATION_FAILED",
                      "message": f"{type(exc).__name__}: {exc}"[:1000], "location": "/"}
        return ActionResult({"result": "FAIL", "diagnostics": [diagnostic], "truncated": False})
    return ActionResult({"result": "OK", "diagnostics": [], "truncated": False})


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
    """Add the two actions to moto's Step Functions responses; name unnamed executions."""
    import uuid

    from moto.stepfunctions.parser.models import StepFunctionsParserBackend
    from moto.stepfunctions.responses import StepFunctionResponse

    original = StepFunctionsParserBackend.start_execution
    if not getattr(original, "_localcloud", False):
        def start_execution(self: Any, state_machine_arn: str, name: Any = None, *args: Any, **kwargs: Any) -> Any:
            return original(self, state_machine_arn, name or str(uuid.uuid4()), *args, **kwargs)
        start_execution._localcloud = True  # type: ignore[attr-defined]
        StepFunctionsParserBackend.start_execution = start_execution  # type: ignore[method-assign]

    StepFunctionResponse.validate_state_machine_definition = _validate_state_machine_definition  # type: ignore[attr-defined]
    StepFunctionResponse.list_state_machine_versions = _list_state_machine_versions  # type: ignore[attr-defined]

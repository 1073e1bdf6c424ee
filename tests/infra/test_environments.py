"""Each synthesized function's variables are exactly what its handler's environment record reads."""

from __future__ import annotations

from dataclasses import MISSING, fields

import pytest

from stacks.api.stack import AGGREGATOR, ANOMALY_DETECTOR, API_INGEST, API_STATUS, API_UPLOADS
from stacks.constructs.python_function import FunctionSpec
from stacks.processing.functions import LOAD, MERGE, PLAN, REGISTER, SLA_MONITOR, STATUS, SUMMARIZE, VALIDATE
from tests.synth import Synth

SPECS = {spec.name: spec for spec in (REGISTER, STATUS, VALIDATE, PLAN, MERGE, LOAD, SUMMARIZE, SLA_MONITOR,
                                      API_INGEST, API_UPLOADS, API_STATUS, ANOMALY_DETECTOR, AGGREGATOR)}
PLATFORM = {"POWERTOOLS_SERVICE_NAME", "WORKSPACE"}  # set by PythonFunction for every function


def synthesized_variables(synth: Synth) -> dict[str, dict[str, str]]:
    """Handler name → the environment variables of its function."""
    out = {}
    for concern in ("processing", "api"):
        for body in synth.resources(concern, "aws_lambda_function").values():
            out[body["handler"].split(".")[0]] = body["environment"]["variables"]
    return out


def required(spec: FunctionSpec) -> set[str]:
    return {f.name.upper() for f in fields(spec.environment) if f.default is MISSING}


@pytest.mark.parametrize("workspace", ["local", "prod"])
def test_every_function_has_a_spec_with_an_environment_record(synth_of, workspace: str) -> None:  # type: ignore[no-untyped-def]
    # Given a workspace's functions, When their handlers are listed, Then each has its spec
    assert set(synthesized_variables(synth_of(workspace))) == set(SPECS)


@pytest.mark.parametrize("workspace", ["local", "prod"])
@pytest.mark.parametrize("handler", sorted(SPECS))
def test_a_function_gets_every_variable_its_record_requires_and_nothing_else(
    synth_of, workspace: str, handler: str,  # type: ignore[no-untyped-def]
) -> None:
    # Given the synthesized function and its handler's record
    variables, record = synthesized_variables(synth_of(workspace))[handler], SPECS[handler].environment
    # When its variable names are compared with the record's (platform ones count when the record reads them)
    names = set(variables) - (PLATFORM - set(record.variable_names()))
    # Then the required ones are all there, and only the record's are there
    assert required(SPECS[handler]) <= names
    assert names <= set(record.variable_names())

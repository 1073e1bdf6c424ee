"""Every handler reads its FunctionSpec's environment record at cold start, and names a missing variable."""

from __future__ import annotations

import importlib
from dataclasses import MISSING, fields
from typing import get_type_hints

import pytest

from stacks.api.stack import AGGREGATOR, ANOMALY_DETECTOR, API_INGEST, API_STATUS, API_UPLOADS
from stacks.constructs.python_function import FunctionSpec
from stacks.processing.functions import LOAD, MERGE, PLAN, REGISTER, SLA_MONITOR, STATUS, SUMMARIZE, VALIDATE
from txnpipe.environment import EnvironmentVariableError

SPECS = [REGISTER, STATUS, VALIDATE, PLAN, MERGE, LOAD, SUMMARIZE, SLA_MONITOR,
         API_INGEST, API_UPLOADS, API_STATUS, ANOMALY_DETECTOR, AGGREGATOR]
REQUIRED = [(spec, f.name.upper()) for spec in SPECS for f in fields(spec.environment) if f.default is MISSING]


def set_variables(spec: FunctionSpec, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """A value for every variable of the handler's record (a number where the field is an int)."""
    types = get_type_hints(spec.environment)
    values = {f.name.upper(): "7" if types[f.name] is int else f"value-of-{f.name}" for f in fields(spec.environment)}
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    return values


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.name)
def test_a_handler_reads_the_record_its_spec_names(spec: FunctionSpec, aws: None, monkeypatch: pytest.MonkeyPatch) -> None:
    # Given every variable of the spec's record set
    values = set_variables(spec, monkeypatch)
    # When the handler starts cold
    read = importlib.import_module(f"{spec.name}.handler").ENV
    # Then its ENV is that record, read from those variables
    assert read == spec.environment.from_environ(values)


@pytest.mark.parametrize(("spec", "variable"), REQUIRED, ids=lambda v: v.name if isinstance(v, FunctionSpec) else v)
def test_a_cold_start_without_a_variable_fails_naming_it(
    spec: FunctionSpec, variable: str, aws: None, monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given every variable but one
    set_variables(spec, monkeypatch)
    monkeypatch.delenv(variable)
    # When the handler starts cold, Then the error names the record and the missing variable
    message = f"^{spec.environment.__name__}: environment variable {variable} is not set$"
    with pytest.raises(EnvironmentVariableError, match=message):
        importlib.import_module(f"{spec.name}.handler")

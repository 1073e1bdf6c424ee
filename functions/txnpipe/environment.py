"""A handler's environment variables as one frozen, typed record, read once at cold start.

A field is the variable of its name in upper case (`files_table` is `FILES_TABLE`); fields are
`str` or `int`, and a field with a default is optional. Each handler parses its record when its
module is imported (`ENV = FileStatusEnvironment.from_environ()`), so a missing or malformed
variable fails the cold start with an error that names it, before any event is handled. The stack
that deploys the function writes its `environment.variables` with `to_environ()` of the same
record (txnpipe.function_environments), so a renamed variable breaks the synth, not the function.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import MISSING, Field, dataclass, fields
from typing import Any, Self, get_type_hints


class EnvironmentVariableError(RuntimeError):
    """A variable the handler needs is missing, empty or malformed."""


@dataclass(frozen=True, kw_only=True)
class HandlerEnvironment:
    """Base of every handler's environment record (subclasses are frozen, keyword-only dataclasses)."""

    @classmethod
    def variable_names(cls) -> tuple[str, ...]:
        """Every variable the record reads, optional ones included."""
        return tuple(_variable(f) for f in fields(cls))

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] | None = None) -> Self:
        """Parse the record from `environ` (default: the process environment); an empty value counts as unset."""
        source = os.environ if environ is None else environ
        types = get_type_hints(cls)
        missing = [_variable(f) for f in fields(cls) if not source.get(_variable(f)) and _required(f)]
        if missing:
            listed = f"variable {missing[0]} is" if len(missing) == 1 else f"variables {', '.join(missing)} are"
            raise EnvironmentVariableError(f"{cls.__name__}: environment {listed} not set")
        values = {f.name: _parse(cls, f, source[_variable(f)], types[f.name]) for f in fields(cls) if source.get(_variable(f))}
        return cls(**values)

    def to_environ(self) -> dict[str, str]:
        """The variables that `from_environ` reads back as this record.

        An optional field left at its default is not written: the handler falls back to the same value.
        """
        return {_variable(f): str(getattr(self, f.name)) for f in fields(self)
                if _required(f) or getattr(self, f.name) != f.default}


def _variable(field: Field[Any]) -> str:
    return field.name.upper()


def _required(field: Field[Any]) -> bool:
    return field.default is MISSING and field.default_factory is MISSING


def _parse(cls: type, field: Field[Any], text: str, type_: Any) -> str | int:
    if type_ is str:
        return text
    if type_ is int:
        try:
            return int(text)
        except ValueError:
            raise EnvironmentVariableError(
                f"{cls.__name__}: environment variable {_variable(field)}={text!r} is not an integer") from None
    raise TypeError(f"{cls.__name__}.{field.name}: environment fields are str or int, not {type_!r}")

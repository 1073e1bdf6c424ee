"""Addition: a request validator's body check, with `$context.error.validationErrorString` as API Gateway writes it.

API Gateway validates a body against the method's JSON Schema draft-04 model ("Request validation
for REST APIs in API Gateway") and, when it fails, answers `BAD_REQUEST_BODY` with the details in
`$context.error.validationErrorString`: a bracketed, comma-separated list of the validator's
messages, e.g. `[object has missing required properties (["timestamp"])]` (the wording of the
JSON-schema library API Gateway reports with; JSON values and arrays are written compactly).
moto 5.2.5 does not validate bodies at all. Messages for keywords outside the table below are
jsonschema's own wording; a body that is not JSON reports `[Invalid JSON: <reason>]`. An empty body
is validated as an empty JSON object, as API Gateway does (so a model with `required` refuses it,
one without lets it through); the emulator used to validate it as `null`, refusing every body-less
request whatever the model.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import jsonschema


def _compact(value: object) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def _type_name(value: object) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    names = {float: "number", str: "string", list: "array", dict: "object", type(None): "null"}
    return names.get(type(value), "unknown")


def _allowed(expected: object) -> list[str]:
    return sorted(expected if isinstance(expected, list) else [str(expected)])


_MESSAGES: dict[str, Callable[[jsonschema.ValidationError], str]] = {
    "type": lambda e: (f"instance type ({_type_name(e.instance)}) does not match any allowed primitive type "
                       f"(allowed: {_compact(_allowed(e.validator_value))})"),
    "enum": lambda e: (f"instance value ({_compact(e.instance)}) not found in enum "
                       f"(possible values: {_compact(e.validator_value)})"),
    "pattern": lambda e: f'ECMA 262 regex "{e.validator_value}" does not match input string {_compact(e.instance)}',
    "minLength": lambda e: (f"string {_compact(e.instance)} is too short (length: {len(e.instance)}, "
                            f"required minimum: {e.validator_value})"),
    "maxLength": lambda e: (f"string {_compact(e.instance)} is too long (length: {len(e.instance)}, "
                            f"maximum allowed: {e.validator_value})"),
    "minimum": lambda e: (f"numeric instance is lower than the required minimum (minimum: {e.validator_value}, "
                          f"found: {e.instance})"),
    "maximum": lambda e: (f"numeric instance is greater than the required maximum (maximum: {e.validator_value}, "
                          f"found: {e.instance})"),
}


def _message(error: jsonschema.ValidationError) -> str:
    if error.validator == "additionalProperties":
        allowed = set((error.schema or {}).get("properties", {}))
        extra = sorted(k for k in error.instance if k not in allowed) if isinstance(error.instance, dict) else []
        return f"object instance has properties which are not allowed by the schema: {_compact(extra)}"
    render = _MESSAGES.get(str(error.validator))
    return render(error) if render else error.message


def validation_error_string(body: bytes, schema: dict[str, Any]) -> str:
    """`$context.error.validationErrorString` for `body`; empty when the body conforms to `schema`."""
    try:
        instance = json.loads(body or b"{}")
    except ValueError as error:
        return f"[Invalid JSON: {error}]"
    errors = sorted(jsonschema.Draft4Validator(schema).iter_errors(instance), key=lambda e: (list(e.path), str(e.validator)))
    messages: list[str] = []
    missing: dict[tuple[Any, ...], set[str]] = {}
    for error in errors:
        if error.validator == "required" and isinstance(error.instance, dict):
            missing.setdefault(tuple(error.path), set()).update(p for p in error.validator_value if p not in error.instance)
        else:
            messages.append(_message(error))
    required = [f"object has missing required properties ({_compact(sorted(names))})" for names in missing.values()]
    return f"[{', '.join([*required, *messages])}]" if required or messages else ""

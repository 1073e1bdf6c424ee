"""JSON Schema (draft 2020-12) of one transaction: an element of a JSON file and the body of POST /transactions."""

from __future__ import annotations

from typing import Any, Final

from contract import patterns
from contract.fields import EXAMPLE, FieldRule, field_rules, fraction_groups
from txnpipe.domain.amounts import MAX_INTEGER_DIGITS
from txnpipe.domain.rules import REQUIRED_FIELDS
from txnpipe.domain.version import CONTRACT_VERSION

DIALECT: Final = "https://json-schema.org/draft/2020-12/schema"
FILE_NAME: Final = "transaction.schema.json"


def _string_type(rule: FieldRule) -> str | list[str]:
    return "string" if rule.required else ["string", "null"]


def field_schema(rule: FieldRule) -> dict[str, Any]:
    """The schema of one property (null means absent for optional fields)."""
    schema: dict[str, Any] = {"description": rule.description, "type": _string_type(rule)}
    if rule.json_number:
        # `pattern` applies to strings, the bounds to numbers: a number is judged by value only.
        schema |= {"type": ["string", "number"], "exclusiveMinimum": 0, "exclusiveMaximum": 10**MAX_INTEGER_DIGITS}
    if rule.required and rule.enum is None:
        schema["minLength"] = 1
    if rule.max_length is not None:
        schema["maxLength"] = rule.max_length
    if rule.pattern is not None:
        schema["pattern"] = patterns.ecma(rule.pattern if rule.required else f"({rule.pattern})?")
    if rule.enum is not None:
        schema["enum"] = list(rule.enum)
    return schema


def _per_currency() -> list[dict[str, Any]]:
    """The amount's fraction digits per currency (a rule across two fields: `if` currency `then` amount)."""
    conditions = []
    for digits, codes in fraction_groups().items():
        amount: dict[str, Any] = {"pattern": patterns.ecma(patterns.amount(digits))}
        if digits == 0:
            amount["multipleOf"] = 1  # exact for numbers too; other digit counts are not (binary floats)
        conditions.append({
            "if": {"properties": {"currency": {"enum": codes}}, "required": ["currency"]},
            "then": {"properties": {"amount": amount}},
        })
    return conditions


def transaction_schema() -> dict[str, Any]:
    """The whole schema document."""
    return {
        "$schema": DIALECT,
        "$id": f"urn:txnpipe:contract:{CONTRACT_VERSION}:{FILE_NAME}",
        "title": "Transaction",
        "description": (
            "One transaction of the txnpipe data contract: an element of a JSON file (a JSON array of these, "
            "or JSON Lines with one per line) and the body of POST /transactions. Unknown properties are "
            "ignored. Rules no JSON Schema can express (calendar dates, JSON number text, uniqueness within "
            "a file) are listed in README.md next to this file."
        ),
        "x-contract-version": CONTRACT_VERSION,
        "type": "object",
        "required": list(REQUIRED_FIELDS),
        "properties": {rule.name: field_schema(rule) for rule in field_rules()},
        "allOf": _per_currency(),
        "examples": [dict(EXAMPLE)],
    }

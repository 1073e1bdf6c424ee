"""IAM `Condition` evaluation as AWS documents it, for the emulator's bucket policies (pure, no moto).

Followed: IAM User Guide, "IAM JSON policy elements: Condition operators" and "Single-valued vs.
multivalued context keys" (set operators `ForAnyValue:` / `ForAllValues:`):

* every operator and every key of a block must match (AND); the values listed for one key are ORed;
  a negated operator (`StringNotEquals`, `ArnNotLike`, `NotIpAddress`, ...) matches when the request
  value equals none of them;
* a key absent from the request context makes the condition false, except: a negated operator is
  then *true*, `...IfExists` is then true for any operator, and `ForAllValues:` is then true;
  `ForAnyValue:` is then false;
* `Null`: `"true"` matches an absent key, `"false"` a present one;
* `String*Like` / `Arn*Like` wildcards are `*` and `?` only (no character classes).

An operator the emulator does not know raises `UnsupportedCondition` (AWS refuses such a policy
at PutBucketPolicy with MalformedPolicy; here it fails loudly instead of silently not applying).
Policy variables (`${aws:username}`) are not substituted.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from functools import partial
from typing import Any

Context = Mapping[str, str | list[str]]


class UnsupportedCondition(ValueError):
    """A condition operator the emulator cannot evaluate."""


def _wildcard(pattern: str, value: str) -> bool:
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.fullmatch(regex, value, flags=re.DOTALL) is not None


def _date(text: str) -> float:
    if re.fullmatch(r"\d+", text):
        return float(text)
    parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).timestamp()


def _ip(expected: str, actual: str) -> bool:
    return ipaddress.ip_address(actual) in ipaddress.ip_network(expected, strict=False)


def _numeric(compare: Callable[[float, float], bool], parse: Callable[[str], float], expected: str, actual: str) -> bool:
    return compare(parse(actual), parse(expected))


_NUMERIC: dict[str, Callable[[float, float], bool]] = {
    "Equals": float.__eq__, "LessThan": float.__lt__, "LessThanEquals": float.__le__,
    "GreaterThan": float.__gt__, "GreaterThanEquals": float.__ge__,
}
_MATCHERS: dict[str, Callable[[str, str], bool]] = {
    "StringEquals": lambda e, a: e == a,
    "StringEqualsIgnoreCase": lambda e, a: e.lower() == a.lower(),
    "StringLike": _wildcard,
    "ArnEquals": _wildcard, "ArnLike": _wildcard,  # IAM documents ArnEquals and ArnLike alike
    "Bool": lambda e, a: e.lower() == a.lower(),
    "IpAddress": _ip,
    "BinaryEquals": lambda e, a: e == a,
    **{f"Numeric{n}": partial(_numeric, f, float) for n, f in _NUMERIC.items()},
    **{f"Date{n}": partial(_numeric, f, _date) for n, f in _NUMERIC.items()},
}
_NEGATED = {"StringNotEquals": "StringEquals", "StringNotEqualsIgnoreCase": "StringEqualsIgnoreCase",
            "StringNotLike": "StringLike", "ArnNotEquals": "ArnEquals", "ArnNotLike": "ArnLike",
            "NumericNotEquals": "NumericEquals", "DateNotEquals": "DateEquals", "NotIpAddress": "IpAddress"}


def _values(raw: Any) -> list[str]:
    return [str(v).lower() if isinstance(v, bool) else str(v) for v in (raw if isinstance(raw, list) else [raw])]


def _operator(name: str) -> tuple[str, str, bool, bool]:
    """(set qualifier or "", base operator, negated, if_exists) of an operator name."""
    qualifier, _, op = name.rpartition(":")
    if qualifier not in ("", "ForAnyValue", "ForAllValues"):
        raise UnsupportedCondition(f"condition operator {name!r}: unknown set qualifier {qualifier!r}")
    if_exists = op.endswith("IfExists") and op != "Null"
    op = op.removesuffix("IfExists")
    negated = op in _NEGATED
    base = _NEGATED.get(op, op)
    if base not in _MATCHERS and base != "Null":
        raise UnsupportedCondition(f"condition operator {name!r} is not supported by the emulator")
    return qualifier, base, negated, if_exists


def key_matches(operator: str, expected_raw: Any, actual: str | list[str] | None) -> bool:
    """One `operator: {key: expected}` entry against the request's value of that key (None: absent)."""
    qualifier, base, negated, if_exists = _operator(operator)
    expected = _values(expected_raw)
    if base == "Null":
        return (actual is None) == (expected[0].lower() == "true")
    if actual is None or actual == []:
        if if_exists or qualifier == "ForAllValues":
            return True
        return negated and qualifier != "ForAnyValue"
    actuals = actual if isinstance(actual, list) else [actual]

    def one(value: str) -> bool:
        hit = any(_MATCHERS[base](e, value) for e in expected)
        return not hit if negated else hit

    if qualifier == "ForAllValues":
        return all(one(v) for v in actuals)
    if qualifier == "ForAnyValue" or not negated:
        return any(one(v) for v in actuals)
    return all(one(v) for v in actuals)  # negated, no qualifier: equal to none of the listed values


def conditions_met(conditions: Mapping[str, Mapping[str, Any]], context: Context) -> bool:
    """IAM semantics for one statement's Condition block against the request context."""
    return all(key_matches(operator, expected, context.get(key))
               for operator, checks in conditions.items() for key, expected in checks.items())

"""Addition: bucket policy conditions are evaluated (moto 5.2.5 treats them as always met).

moto only knows `StringEquals`; every other condition operator counts as satisfied and a missing
context key satisfies the condition too. A `Deny` with `{"Bool": {"aws:SecureTransport": "false"}}`
(which the stacks' SecureBucket has, as AWS recommends) therefore denied every object request.

The emulator evaluates `Bool`, `String(Not)Equals(IgnoreCase)`, `String(Not)Like`, `Arn(Not)Like/Equals`,
`Numeric*` and `Null`, each with `...IfExists`, against a small request context. As in IAM, a missing
key makes a condition false (true for `...IfExists`), and an operator it does not know makes the
statement not apply. The emulator listens on plain HTTP on loopback; requests count as TLS 1.3
(`aws:SecureTransport=true`, `s3:TlsVersion=1.3`) so that what the policy means for HTTPS clients
is what it means here.
"""

from __future__ import annotations

import fnmatch
import json
from typing import Any

from localcloud import ACCOUNT_ID

REQUEST_CONTEXT = {"aws:SecureTransport": "true", "s3:TlsVersion": "1.3", "aws:PrincipalAccount": ACCOUNT_ID}


def _values(value: Any) -> list[str]:
    return [str(v).lower() if isinstance(v, bool) else str(v) for v in (value if isinstance(value, list) else [value])]


def _compare(operator: str, expected: list[str], actual: str) -> bool | None:
    """True/False for a known operator, None for one the emulator does not evaluate."""
    negate = "Not" in operator
    base = operator.replace("Not", "")
    result: bool
    if base in ("StringEquals", "ArnEquals"):
        result = actual in expected
    elif base == "StringEqualsIgnoreCase":
        result = actual.lower() in [e.lower() for e in expected]
    elif base in ("StringLike", "ArnLike"):
        result = any(fnmatch.fnmatchcase(actual, e) for e in expected)
    elif base == "Bool":
        result = actual.lower() in [e.lower() for e in expected]
    elif base.startswith("Numeric"):
        ops = {"NumericEquals": float.__eq__, "NumericLessThan": float.__lt__, "NumericLessThanEquals": float.__le__,
               "NumericGreaterThan": float.__gt__, "NumericGreaterThanEquals": float.__ge__}
        if base not in ops:
            return None
        result = any(ops[base](float(actual), float(e)) for e in expected)
    else:
        return None
    return not result if negate else result


def conditions_met(conditions: dict[str, dict[str, Any]], context: dict[str, str]) -> bool:
    """IAM semantics for one statement's Condition block against `context`."""
    for operator, checks in conditions.items():
        if_exists = operator.endswith("IfExists")
        op = operator.removesuffix("IfExists")
        for key, raw in checks.items():
            expected = _values(raw)
            actual = context.get(key)
            if op == "Null":
                if (actual is None) != (expected[0] == "true"):
                    return False
                continue
            if actual is None:
                if if_exists:
                    continue
                return False
            outcome = _compare(op, expected, actual)
            if not outcome:  # False, or an operator the emulator does not evaluate
                return False
    return True


def _get_permission(self: Any, action: str, resource: str) -> Any:
    from moto.iam.access_control import IAMPolicyStatement, PermissionResult

    if self.policy is None:
        return PermissionResult.NEUTRAL
    statements = json.loads(self.policy.decode())["Statement"]
    permitted = False
    for statement in statements if isinstance(statements, list) else [statements]:
        if "Condition" in statement:
            if not conditions_met(statement["Condition"], REQUEST_CONTEXT):
                continue
            statement = {k: v for k, v in statement.items() if k != "Condition"}
        result = IAMPolicyStatement(statement).is_action_permitted(action, resource)
        if result == PermissionResult.DENIED:
            return result
        permitted = permitted or result == PermissionResult.PERMITTED
    return PermissionResult.PERMITTED if permitted else PermissionResult.NEUTRAL


def install() -> None:
    """Evaluate bucket policies with conditions."""
    from moto.s3.models import FakeBucket

    FakeBucket.get_permission = _get_permission  # type: ignore[method-assign]

"""Whether a resource policy lets an AWS service principal act (pure apart from moto's statement matcher).

For CloudWatch alarm actions: the SNS topic's access policy must allow `cloudwatch.amazonaws.com`
`sns:Publish` on the topic, and for an encrypted topic the KMS key policy must allow it
`kms:GenerateDataKey*` and `kms:Decrypt` (SNS Developer Guide, "Enable compatibility between event
sources from AWS services and encrypted topics"; CloudWatch User Guide, "Using Amazon CloudWatch
alarms": "the topic's access policy must ..."). IAM policy evaluation logic: an explicit Deny wins,
else an Allow is needed. A statement applies to the principal when its `Principal` is `"*"`,
`{"AWS": "*"}` or `{"Service": <the service>}` (`NotPrincipal` statements apply to anyone not
listed). Actions (case-insensitive) and resources match with IAM's `*` / `?` wildcards (moto's
statement matcher compares actions case-sensitively, so it is not used); conditions with
`localcloud.patches.iam_conditions`, keys compared case-insensitively as IAM does (the default
topic policy says `AWS:SourceOwner`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from localcloud.patches.iam_conditions import conditions_met


def _listed(value: Any) -> list[str]:
    return [str(v) for v in (value if isinstance(value, list) else [value])]


def principal_matches(statement: Mapping[str, Any], service: str) -> bool:
    """True when `statement` applies to the service principal `service`."""
    def names(principal: Any) -> bool:
        if principal == "*":
            return True
        if not isinstance(principal, Mapping):
            return False
        return "*" in _listed(principal.get("AWS", [])) or service in _listed(principal.get("Service", []))

    if "NotPrincipal" in statement:
        return not names(statement["NotPrincipal"])
    return names(statement.get("Principal"))


def _conditions(statement: Mapping[str, Any], context: Mapping[str, str]) -> bool:
    lowered = {op: {key.lower(): value for key, value in checks.items()}
               for op, checks in (statement.get("Condition") or {}).items()}
    return conditions_met(lowered, {key.lower(): value for key, value in context.items()})


def _matches(patterns: Any, value: str, *, ignore_case: bool) -> bool:
    for pattern in _listed(patterns):
        regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
        if re.fullmatch(regex, value, flags=re.DOTALL | (re.IGNORECASE if ignore_case else 0)):
            return True
    return False


def _concerns(statement: Mapping[str, Any], action: str, resource: str) -> bool:
    """Action (case-insensitive, as IAM) and resource of the statement cover the request."""
    if "NotAction" in statement:
        acts = not _matches(statement["NotAction"], action, ignore_case=True)
    else:
        acts = _matches(statement.get("Action", []), action, ignore_case=True)
    if "NotResource" in statement:
        return acts and not _matches(statement["NotResource"], resource, ignore_case=False)
    return acts and _matches(statement.get("Resource", "*"), resource, ignore_case=False)


def allows(policy: str | Mapping[str, Any], service: str, action: str, resource: str,
           context: Mapping[str, str]) -> bool:
    """True when `policy` allows `service` to do `action` on `resource` with the request `context`."""
    document = json.loads(policy) if isinstance(policy, str) else policy
    raw = document.get("Statement", [])
    allowed = False
    for statement in raw if isinstance(raw, list) else [raw]:
        if not (principal_matches(statement, service) and _concerns(statement, action, resource)
                and _conditions(statement, context)):
            continue
        if statement.get("Effect") == "Deny":
            return False
        allowed = allowed or statement.get("Effect") == "Allow"
    return allowed

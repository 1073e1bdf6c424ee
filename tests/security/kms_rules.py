"""What each AWS service documents it needs from a customer managed key, checked on the synthesized stacks.

The emulator keeps KMS as bookkeeping (no key policy is evaluated), so these checks stand in for AWS.
Two sides: the key policy (services that use the key with their own principal) and the callers'
IAM policies (services that use the key with the caller's credentials). The key policy delegates to
IAM through `arn:aws:iam::<account>:root` (AWS KMS Developer Guide, "Default key policy"), so an IAM
grant on the key ARN is enough for a role. Each function returns problems as text; [] means compliant.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from fnmatch import fnmatchcase
from typing import Any

from tests.security.tfjson import FoundPolicy, Stacks, as_list, role_policies


def key_arn(stacks: Stacks) -> str:
    (found,) = [stacks.value(c, f"aws_kms_key.{n}.arn") for c, _, n, _ in stacks.resources("aws_kms_key")]
    return found


def key_statements(stacks: Stacks) -> list[dict[str, Any]]:
    ((concern, body),) = [(c, b) for c, _, _, b in stacks.resources("aws_kms_key")]
    return as_list(json.loads(stacks.resolve(concern, body["policy"]))["Statement"])


def _covers(patterns: Iterable[str], action: str) -> bool:
    return any(fnmatchcase(action.lower(), p.lower()) for p in patterns)


def service_statements(stacks: Stacks, service: str) -> list[dict[str, Any]]:
    """Allow statements of the key policy whose principal includes `service`."""
    return [s for s in key_statements(stacks) if s.get("Effect") == "Allow"
            and service in as_list((s.get("Principal") or {}).get("Service"))]


def key_policy_problems(stacks: Stacks, service: str, actions: Iterable[str]) -> list[str]:
    """The documented `actions` the key policy does not allow `service` to call."""
    allowed = [a for s in service_statements(stacks, service) for a in as_list(s.get("Action"))]
    return [f"key policy: {service} may not {a}" for a in actions if not _covers(allowed, a)]


def grants(stacks: Stacks) -> Iterator[tuple[str, str, str]]:
    """(role, action pattern, resource pattern) for every Allow statement of every role's policies."""
    for role, found in role_policies(stacks).items():
        for policy in found:
            yield from _statement_grants(role, policy)


def _statement_grants(role: str, policy: FoundPolicy) -> Iterator[tuple[str, str, str]]:
    for statement in policy.statements:
        if statement.get("Effect") == "Allow":
            for action in as_list(statement.get("Action")):
                for resource in as_list(statement.get("Resource")):
                    yield role, str(action), str(resource)


def roles_doing(stacks: Stacks, actions: Iterable[str], on: str) -> set[str]:
    """Roles allowed any of `actions` on `on` (an ARN) or on something under it (`on/...`, `on:...`)."""
    wanted = list(actions)
    return {role for role, action, resource in grants(stacks)
            if any(fnmatchcase(w.lower(), action.lower()) for w in wanted)
            and (resource == on or resource.startswith((f"{on}/", f"{on}:")) or fnmatchcase(on, resource))}


def iam_problems(stacks: Stacks, roles: Iterable[str], actions: Iterable[str], why: str) -> list[str]:
    """For each role: the documented KMS `actions` on the CMK its IAM policies do not allow."""
    key, wanted = key_arn(stacks), list(actions)
    allowed: dict[str, list[str]] = {}
    for role, action, resource in grants(stacks):
        if fnmatchcase(key, resource):
            allowed.setdefault(role, []).append(action)
    return [f"{role}: {why} needs {a} on the CMK" for role in sorted(roles) for a in wanted
            if not _covers(allowed.get(role, []), a)]


def role_of(stacks: Stacks, concern: str, reference: Any) -> str:
    (role,) = stacks.points_at(concern, reference, "aws_iam_role")
    return role

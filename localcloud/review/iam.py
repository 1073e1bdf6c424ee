"""IAM changes as a reviewer wants them: statements' actions and resources added or removed."""

from __future__ import annotations

import json
from typing import Any

#: Attributes that hold a policy document (JSON text) in the AWS provider's resources.
POLICY_ATTRIBUTES = ("policy", "assume_role_policy", "inline_policy")


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def grants(document: Any) -> set[str]:
    """`Effect action on resource` for every action and resource of a policy document (JSON text or dict)."""
    if isinstance(document, str):
        try:
            document = json.loads(document) if document.strip() else {}
        except json.JSONDecodeError:
            return {f"(unparsed policy) {document[:60]}"}
    statements = (document or {}).get("Statement") or []
    found: set[str] = set()
    for statement in statements if isinstance(statements, list) else [statements]:
        effect = statement.get("Effect", "Allow")
        actions = _as_list(statement.get("Action")) or [f"NOT {a}" for a in _as_list(statement.get("NotAction"))]
        resources = _as_list(statement.get("Resource")) or ["(principal policy)"]
        found |= {f"{effect} {action} on {resource}" for action in actions for resource in resources}
    return found


def _documents(value: Any) -> list[Any]:
    """The policy documents of one attribute (aws_iam_role's inline_policy is a list of {name, policy})."""
    if isinstance(value, list):
        return [item.get("policy") for item in value if isinstance(item, dict)]
    return [value]


def _all_grants(value: Any) -> set[str]:
    return set().union(*(grants(document) for document in _documents(value)))


def iam_changes(change: dict[str, Any]) -> dict[str, list[str]]:
    """`{"added": [...], "removed": [...]}` over every policy attribute of one resource change."""
    before, after = change.get("before") or {}, change.get("after") or {}
    unknown = change.get("after_unknown") or {}
    added: set[str] = set()
    removed: set[str] = set()
    for attribute in POLICY_ATTRIBUTES:
        if unknown.get(attribute) is True:  # built from ARNs terraform learns only while applying
            added.add(f"({attribute} known after apply)")
            continue
        old, new = _all_grants(before.get(attribute)), _all_grants(after.get(attribute))
        added |= new - old
        removed |= old - new
    return {"added": sorted(added), "removed": sorted(removed)}

"""Builders of `terraform show -json` resource changes (terraform's JSON output format, format_version 1.2)."""

from __future__ import annotations

from typing import Any


def resource_change(address: str, actions: list[str], before: dict[str, Any] | None = None,
                    after: dict[str, Any] | None = None, **change: Any) -> dict[str, Any]:
    """One entry of `resource_changes`: `aws_x.name` with its actions and before/after values."""
    kind, name = address.split(".", 1)
    return {"address": address, "mode": "managed", "type": kind, "name": name,
            "provider_name": "registry.terraform.io/hashicorp/aws",
            "change": {"actions": actions, "before": before, "after": after, "after_unknown": {},
                       "before_sensitive": {}, "after_sensitive": {}, **change}}


def plan(*changes: dict[str, Any]) -> dict[str, Any]:
    return {"format_version": "1.2", "resource_changes": list(changes)}


def tf_json(**paths: str) -> dict[str, Any]:
    """A synthesized cdk.tf.json declaring `type.name` resources with the given construct paths."""
    resources: dict[str, dict[str, Any]] = {}
    for address, path in paths.items():
        kind, name = address.split("__", 1)
        resources.setdefault(kind, {})[name] = {"//": {"metadata": {"path": path, "uniqueId": name}}}
    return {"resource": resources}

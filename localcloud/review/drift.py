"""`make drift`: what changed in the account behind terraform's back, per stack, with construct paths.

`terraform plan -refresh-only` reads every resource back; its JSON plan's `resource_drift` lists the
resources whose real state differs from the recorded one (changed or deleted out of band).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from localcloud.deploy import Deployment
from localcloud.review.attributes import changed_attributes
from localcloud.review.paths import base_address, construct_path, construct_paths
from localcloud.review.run import unapplied_upstream

NOT_ARGUMENTS = {"//", "depends_on", "lifecycle", "provider", "count", "for_each", "provisioner"}
DRIFT_EXIT = 2  # as `terraform plan -detailed-exitcode`: 2 = there is something to look at


def declared_body(tf_json: Mapping[str, Any], address: str) -> dict[str, Any]:
    """The arguments the synthesized configuration sets on `address` (what the code owns)."""
    kind, _, name = base_address(address).partition(".")
    body = ((tf_json.get("resource") or {}).get(kind) or {}).get(name) or {}
    return {key: value for key, value in body.items() if key not in NOT_ARGUMENTS}


def declares(body: Any, path: str) -> bool:
    """True when the configuration sets the attribute at `path` (`a.b[0].c`; a block written as one object
    in cdk.tf.json stands for a list of one)."""
    node = body
    for part in path.replace("[", ".[").split("."):
        if not part:
            continue
        if part.startswith("["):
            items = node if isinstance(node, list) else [node]
            index = int(part[1:-1])
            node = items[index] if index < len(items) else None
        else:
            node = node.get(part) if isinstance(node, dict) else None
        if node is None:
            return False
    return True


def drifted(plan: Mapping[str, Any], tf_json: Mapping[str, Any], *, applied: Mapping[str, Any] | None = None,
            stack: str = "") -> list[dict[str, Any]]:
    """Each managed resource deleted, or changed in an argument the configuration sets, behind terraform's back.

    A refresh also reads back attributes the code never set (a role's `inline_policy` filled by separate
    policy resources, `tags_all`, a default such as an expression's `period`): that is the provider's
    bookkeeping, not drift, and is left out.
    """
    paths = {**construct_paths(applied or {}), **construct_paths(tf_json)}
    found = []
    for entry in plan.get("resource_drift") or []:
        change = entry.get("change") or {}
        actions = list(change.get("actions") or [])
        if entry.get("mode") == "data":
            continue
        declared = declared_body(tf_json, entry["address"])
        attributes = [p for p in changed_attributes(change) if declares(declared, p)]
        if attributes or "delete" in actions:
            found.append({"address": entry["address"], "construct_path": construct_path(paths, entry["address"], stack=stack),
                          "actions": actions, "attributes": attributes})
    return found


def drift_stack(deployment: Deployment, stack: str) -> list[dict[str, Any]]:
    """Refresh-only plan of one applied stack; its drifted resources."""
    deployment.init(stack)
    binary = deployment.stack_dir(stack) / "drift.bin"
    deployment.terraform(stack, "plan", "-refresh-only", "-input=false", "-no-color", "-lock=false", f"-out={binary}")
    plan = json.loads(deployment.terraform(stack, "show", "-json", str(binary)))
    tf_json = json.loads((deployment.stack_dir(stack) / "cdk.tf.json").read_text())
    return drifted(plan, tf_json, applied=deployment.applied_json(stack), stack=stack)


def _check(deployment: Deployment, stack: str) -> list[dict[str, Any]] | str:
    if not deployment.state_resources(stack):
        return "not applied: nothing to compare"
    if waiting := unapplied_upstream(deployment, stack):
        return f"waits for {', '.join(waiting)}: not applied"
    return drift_stack(deployment, stack)


def drift_workspace(deployment: Deployment) -> dict[str, list[dict[str, Any]] | str]:
    """Per stack: its drifted resources, or why it was not checked (nothing applied yet).

    The stacks are checked side by side: each has its own state, and a refresh only reads.
    """
    stacks = deployment.stacks()
    with ThreadPoolExecutor(max_workers=len(stacks) or 1) as pool:
        return dict(zip(stacks, pool.map(lambda stack: _check(deployment, stack), stacks), strict=True))


def drift_lines(report: Mapping[str, list[dict[str, Any]] | str]) -> list[str]:
    """The report as a person reads it: one line per stack, then one per drifted resource."""
    lines = []
    for stack, found in report.items():
        if isinstance(found, str):
            lines.append(f"{stack}: {found}")
            continue
        lines.append(f"{stack}: {len(found)} drifted" if found else f"{stack}: no drift")
        lines += [f"  {d['construct_path']} ({d['address']}, {'/'.join(d['actions'])}): {', '.join(d['attributes'])}"
                  for d in found]
    return lines

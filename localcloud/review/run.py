"""`make plan`: plan every stack of a workspace, review each plan, write the summary.

Per stack: `build/plans/<stack>.txt` (terraform's own text) and `<stack>.json` (`terraform show
-json`); then `summary.json` and `summary.md`. A stack whose upstream stack has no state yet cannot
be planned (its inputs are that stack's outputs): the summary says so for it and goes on.
"""

from __future__ import annotations

import json
from pathlib import Path

from localcloud.deploy import Deployment
from localcloud.review.render import write_summary
from localcloud.review.summary import StackReview, blocked_stack, review_stack


def unapplied_upstream(deployment: Deployment, stack: str) -> list[str]:
    """The stacks `stack` depends on (manifest.json) that have no resources in their state yet."""
    manifest = json.loads((deployment.outdir / "manifest.json").read_text())["stacks"]
    return [dep for dep in sorted(manifest[stack].get("dependencies", [])) if not deployment.state_resources(dep)]


def plan_stack(deployment: Deployment, stack: str, plans_dir: Path) -> StackReview:
    """Plan one stack into `plans_dir` and review the plan."""
    waiting = unapplied_upstream(deployment, stack)
    if waiting:
        return blocked_stack(f"waits for {', '.join(waiting)}: not applied yet, and its outputs are this stack's inputs")
    plans_dir.mkdir(parents=True, exist_ok=True)
    deployment.init(stack)
    binary = deployment.stack_dir(stack) / "plan.bin"
    deployment.terraform(stack, "plan", "-input=false", "-no-color", "-lock=false", f"-out={binary}")
    (plans_dir / f"{stack}.txt").write_text(deployment.terraform(stack, "show", "-no-color", str(binary)))
    plan_json = deployment.terraform(stack, "show", "-json", str(binary))
    (plans_dir / f"{stack}.json").write_text(plan_json)
    tf_json = json.loads((deployment.stack_dir(stack) / "cdk.tf.json").read_text())
    return review_stack(json.loads(plan_json), tf_json, applied=deployment.applied_json(stack), stack=stack)


def plan_workspace(deployment: Deployment, plans_dir: Path) -> dict[str, StackReview]:
    """Plan and review every stack in dependency order; write summary.json and summary.md."""
    plans_dir.mkdir(parents=True, exist_ok=True)
    reviews = {stack: plan_stack(deployment, stack, plans_dir) for stack in deployment.stacks()}
    write_summary(plans_dir, deployment.workspace, reviews)
    return reviews

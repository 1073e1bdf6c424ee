"""`make plan`'s runner against real terraform: tiny stacks of terraform_data (no provider plugin needed)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from localcloud.deploy import MIRROR, Deployment
from localcloud.review.run import plan_workspace

pytestmark = pytest.mark.terraform


def _write_stack(deployment: Deployment, stack: str, value: str) -> None:
    body = {"resource": {"terraform_data": {"item_1A2B3C4D": {
        "//": {"metadata": {"path": f"{stack}/item", "uniqueId": "item_1A2B3C4D"}}, "input": value}}}}
    deployment.stack_dir(stack).mkdir(parents=True, exist_ok=True)
    (deployment.stack_dir(stack) / "cdk.tf.json").write_text(json.dumps(body))


@pytest.fixture
def deployment(tmp_path: Path) -> Deployment:
    """Given an applied stack `up-t`, a new stack `new-t`, and `down-t` that depends on `new-t`."""
    if shutil.which("terraform") is None or not MIRROR.is_dir():
        pytest.skip(f"PLAN TEST SKIPPED: terraform on PATH={shutil.which('terraform')}, mirror {MIRROR} exists={MIRROR.is_dir()}")
    deployment = Deployment(workspace="t", outdir=tmp_path / "out", log=lambda line: None)
    manifest = {"stacks": {"up-t": {"dependencies": []}, "new-t": {"dependencies": []},
                           "down-t": {"dependencies": ["new-t"]}}}
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "manifest.json").write_text(json.dumps(manifest))
    for stack in ("up-t", "new-t", "down-t"):
        _write_stack(deployment, stack, "x")
    subprocess.run(["terraform", "apply", "-auto-approve", "-input=false"], cwd=deployment.stack_dir("up-t"),
                   capture_output=True, check=True, timeout=120)
    return deployment


def test_an_applied_stack_reviews_as_no_changes(deployment: Deployment, tmp_path: Path) -> None:
    # When the workspace is planned
    reviews = plan_workspace(deployment, tmp_path / "plans")
    # Then the applied stack has nothing to create, update, replace or delete
    assert reviews["up-t"].counts == {"create": 0, "update": 0, "replace": 0, "delete": 0}


def test_a_stack_whose_upstream_is_not_applied_is_reported_not_failed(deployment: Deployment, tmp_path: Path) -> None:
    reviews = plan_workspace(deployment, tmp_path / "plans")
    assert reviews["down-t"].blocked == "waits for new-t: not applied yet, and its outputs are this stack's inputs"


def test_a_changed_input_is_an_update_with_its_construct_and_attribute(deployment: Deployment, tmp_path: Path) -> None:
    # Given the applied stack's input changed
    _write_stack(deployment, "up-t", "y")
    # When the workspace is planned
    reviews = plan_workspace(deployment, tmp_path / "plans")
    # Then the update is listed with its construct path and what changed (output follows input)
    assert reviews["up-t"].changes == [{"address": "terraform_data.item_1A2B3C4D", "construct_path": "up-t/item",
                                        "actions": ["update"], "attributes": ["input", "output"]}]


def test_the_plan_files_are_written(deployment: Deployment, tmp_path: Path) -> None:
    plan_workspace(deployment, tmp_path / "plans")
    names = sorted(p.name for p in (tmp_path / "plans").iterdir())
    assert names == ["new-t.json", "new-t.txt", "summary.json", "summary.md", "up-t.json", "up-t.txt"]

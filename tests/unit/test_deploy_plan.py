"""Deployment.plan_exit_code against real terraform on a tiny stack (terraform_data needs no provider plugin)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from localcloud.deploy import MIRROR, DeployError, Deployment

pytestmark = pytest.mark.terraform


@pytest.fixture
def deployment(tmp_path: Path) -> Deployment:
    if shutil.which("terraform") is None or not MIRROR.is_dir():
        pytest.skip(f"PLAN TEST SKIPPED: terraform on PATH={shutil.which('terraform')}, mirror {MIRROR} exists={MIRROR.is_dir()}")
    deployment = Deployment(workspace="local", outdir=tmp_path)
    deployment.stack_dir("demo").mkdir(parents=True)
    _write(deployment, "x")
    subprocess.run(["terraform", "apply", "-auto-approve", "-input=false"], cwd=deployment.stack_dir("demo"),
                   capture_output=True, check=True, timeout=120)
    return deployment


def _write(deployment: Deployment, config: str) -> None:
    (deployment.stack_dir("demo") / "main.tf").write_text(f'resource "terraform_data" "a" {{ input = "{config}" }}\n')


def test_applied_stack_plans_clean(deployment: Deployment) -> None:
    assert deployment.plan_exit_code("demo")[0] == 0


def test_changed_stack_reports_changes_with_the_plan(deployment: Deployment) -> None:
    _write(deployment, "y")
    exit_code, plan = deployment.plan_exit_code("demo")
    assert exit_code == 2
    assert "terraform_data.a" in plan


def test_broken_stack_raises_naming_the_stack(deployment: Deployment) -> None:
    (deployment.stack_dir("demo") / "main.tf").write_text('resource "terraform_data" "a" { input = \n')
    with pytest.raises(DeployError, match="terraform plan in demo failed"):
        deployment.plan_exit_code("demo")

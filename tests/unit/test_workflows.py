"""The GitHub workflows only call the project's make targets: their logic lives (and is tested) here."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
_MAKE = re.compile(r"make(?: -C \S+)? ([a-z-]+)")


def _runs(path: Path) -> list[str]:
    workflow: dict[str, Any] = yaml.safe_load(path.read_text())
    return [step["run"] for job in workflow["jobs"].values() for step in job["steps"] if "run" in step]


def _make_targets() -> set[str]:
    return set(re.findall(r"^([a-z][a-z-]*):", (ROOT / "Makefile").read_text(), re.MULTILINE))


def test_there_is_a_pull_request_and_a_drift_workflow() -> None:
    assert [p.name for p in WORKFLOWS] == ["drift.yml", "pull-request.yml"]


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_every_step_calls_a_make_target_that_exists(path: Path) -> None:
    # Given each command of each run step (a git worktree of the base branch is the one non-make command)
    commands = [part.strip() for run in _runs(path) for part in run.split("&&")]
    # When each is read as `make [-C dir] <target> ...`
    called = {match.group(1) if (match := _MAKE.match(c)) else c for c in commands if not c.startswith("git worktree add")}
    # Then every target exists in the Makefile
    assert called - _make_targets() == set()


def test_the_pull_request_workflow_plans_every_real_workspace() -> None:
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "pull-request.yml").read_text())
    assert workflow["jobs"]["plan"]["strategy"]["matrix"]["workspace"] == ["dev", "staging", "prod"]


def test_the_pull_request_workflow_first_runs_the_readme_test_command() -> None:
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "pull-request.yml").read_text())
    assert [s.get("run") for s in workflow["jobs"]["test"]["steps"] if "run" in s] == ["make test"]

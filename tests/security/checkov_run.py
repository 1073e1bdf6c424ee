"""Run checkov (its own locked environment) over a directory of synthesized stacks."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.synth import ROOT

CHECKOV = ROOT / "tools" / "checkov" / ".venv" / "bin" / "checkov"
CONFIG = ROOT / ".checkov.yaml"


def run_checkov(stacks_dir: Path) -> dict[str, Any]:
    """checkov's JSON report of `stacks_dir` (one stack per sub-directory, each `cdk.tf.json`)."""
    if not CHECKOV.exists():
        pytest.fail(f"checkov missing at {CHECKOV}: run `make tools/checkov/.venv/.installed`")
    result = subprocess.run(
        [str(CHECKOV), "-d", str(stacks_dir), "--config-file", str(CONFIG), "--output", "json", "--compact"],
        capture_output=True, text=True, check=False, env={"PATH": "/usr/bin:/bin", "LOG_LEVEL": "ERROR"},
    )
    if result.returncode not in (0, 1) or not result.stdout.strip().startswith(("{", "[")):
        raise AssertionError(f"checkov did not run:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
    report = json.loads(result.stdout)
    reports = report if isinstance(report, list) else [report]
    (tf,) = [r for r in reports if r.get("check_type") == "terraform_json"]
    return tf


def failed_checks(report: dict[str, Any]) -> list[str]:
    return [f"{c['check_id']} {c['file_path']} {c['resource']}: {c['check_name']}"
            for c in report["results"].get("failed_checks", [])]

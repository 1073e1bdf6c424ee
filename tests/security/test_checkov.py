"""checkov over the synthesized stacks: zero failed checks; skips only in `.checkov.yaml`, each with a reason."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.synth import ROOT, Synth

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


@pytest.mark.parametrize("workspace", ["local", "prod"])
def test_checkov_finds_nothing_and_really_scans_every_stack(synth_of, workspace: str) -> None:  # type: ignore[no-untyped-def]
    synth: Synth = synth_of(workspace)
    report = run_checkov(synth.outdir / "stacks")
    failed = [f"{c['check_id']} {c['file_path']} {c['resource']}: {c['check_name']}"
              for c in report["results"]["failed_checks"]]
    assert failed == [], "\n".join(failed)
    passed = report["results"]["passed_checks"]
    assert report["summary"]["passed"] > 50
    scanned = {c["file_path"].split("/")[1] for c in passed}
    # every stack that has resources was scanned (not just parsed)
    expected = {f"{c}-{workspace}" for c in synth.concerns if synth.stack(c).get("resource")}
    assert expected <= scanned, f"not scanned: {expected - scanned}"


def test_every_skip_has_a_reason() -> None:
    lines = CONFIG.read_text().splitlines()
    skips = [line for line in lines if re.match(r"\s*-\s*CKV", line)]
    assert skips, "no skip-check entries found"
    for line in skips:
        check, _, reason = line.partition("#")
        assert len(reason.strip()) > 20, f"skip without a reason: {line!r}"
        assert re.fullmatch(r"\s*-\s*CKV2?_AWS_\d+\s*", check), line

"""Synthesize the app once per test session and read the stacks back as JSON."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
NODE = ROOT / "node_modules" / ".bin" / "node"


def synth_env(workspace: str, outdir: Path) -> dict[str, str]:
    """Environment for a synth: fixed emulator endpoint, no remote state bucket."""
    env = {k: v for k, v in os.environ.items() if k not in {"TF_STATE_BUCKET", "AWS_ENDPOINT_URL", "AWS_REGION"}}
    env.update(WORKSPACE=workspace, CDKTF_OUTDIR=str(outdir))
    if NODE.exists():
        env["JSII_NODE"] = str(NODE)
    return env


def run_synth(workspace: str, outdir: Path, *, cwd: Path = ROOT, extra_env: dict[str, str] | None = None) -> None:
    """Run `main.py` in `cwd` for `workspace`, writing into `outdir`."""
    env = {**synth_env(workspace, outdir), **(extra_env or {})}
    result = subprocess.run([sys.executable, "main.py"], cwd=cwd, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise AssertionError(f"synth of {workspace} failed:\n{result.stdout[-2000:]}\n{result.stderr[-4000:]}")


@dataclass(frozen=True)
class Synth:
    """One synthesized app: `stacks[concern]` is the parsed cdk.tf.json."""

    outdir: Path
    workspace: str

    def stack_dir(self, concern: str) -> Path:
        return self.outdir / "stacks" / f"{concern}-{self.workspace}"

    def stack(self, concern: str) -> dict[str, Any]:
        return json.loads((self.stack_dir(concern) / "cdk.tf.json").read_text())

    @property
    def concerns(self) -> tuple[str, ...]:
        return ("storage", "processing", "api", "observability")

    def resources(self, concern: str, type_: str) -> dict[str, dict[str, Any]]:
        return self.stack(concern).get("resource", {}).get(type_, {})

    def all_resources(self) -> Iterator[tuple[str, str, str, dict[str, Any]]]:
        """(concern, type, name, body) for every resource of every stack."""
        for concern in self.concerns:
            for type_, items in self.stack(concern).get("resource", {}).items():
                for name, body in items.items():
                    yield concern, type_, name, body

"""Running the partner CLI as a real process: ``make validate``'s command in this repository."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FUNCTIONS = ROOT / "functions"


@dataclass(frozen=True)
class Run:
    """What one run printed and its exit code."""

    code: int
    stdout: str
    stderr: str


def validate(*args: str | Path, cwd: Path | None = None) -> Run:
    """``PYTHONPATH=functions python -m txnpipe.cli ARGS`` (what ``make validate FILE=...`` runs)."""
    env = dict(os.environ, PYTHONPATH=str(FUNCTIONS))
    done = subprocess.run([sys.executable, "-m", "txnpipe.cli", *map(str, args)], capture_output=True,
                          text=True, env=env, cwd=cwd, timeout=120, check=False)
    return Run(done.returncode, done.stdout, done.stderr)

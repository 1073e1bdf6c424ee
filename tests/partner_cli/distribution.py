"""The partner CLI distribution as built for partners: ``make partner-cli`` into a directory."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from .runs import ROOT

PARTNER_CLI = ROOT / "partner-cli"
if str(PARTNER_CLI) not in sys.path:
    sys.path.insert(0, str(PARTNER_CLI))

import build_backend  # noqa: E402
import partner_sources  # noqa: E402

__all__ = ["PARTNER_CLI", "build_backend", "make_wheel", "partner_sources", "wheel_entries"]


def make_wheel(out: Path) -> Path:
    """``make partner-cli PARTNER_CLI_OUT=out``; returns the wheel it wrote."""
    done = subprocess.run(["make", "--no-print-directory", "partner-cli", f"PARTNER_CLI_OUT={out}"], cwd=ROOT,
                          capture_output=True, text=True, timeout=120, check=True)
    return Path(done.stdout.strip().splitlines()[-1])


def wheel_entries(wheel: Path) -> dict[str, bytes]:
    """Every file of a wheel by its name inside."""
    with zipfile.ZipFile(wheel) as archive:
        return {name: archive.read(name) for name in archive.namelist()}

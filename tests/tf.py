"""Run the real terraform binary with providers from the machine's plugin mirror."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from localcloud.deploy import MIRROR, write_cli_config

ROOT = Path(__file__).resolve().parent.parent


def terraform_env(workdir: Path) -> dict[str, str]:
    """Environment selecting the mirror CLI config and a shared plugin cache (no 700 MB copies)."""
    binary = shutil.which("terraform")
    if binary is None or not MIRROR.is_dir():
        pytest.skip(f"TERRAFORM CHECKS SKIPPED: terraform on PATH={binary}, plugin mirror {MIRROR} exists={MIRROR.is_dir()}")
    rc = write_cli_config(workdir / "terraform.rc")
    cache = ROOT / "build" / "tf-plugin-cache"
    cache.mkdir(parents=True, exist_ok=True)
    return {**os.environ, "TF_CLI_CONFIG_FILE": str(rc), "TF_PLUGIN_CACHE_DIR": str(cache),
            "TF_IN_AUTOMATION": "1", "CHECKPOINT_DISABLE": "1"}


def terraform(args: list[str], *, cwd: Path, env: dict[str, str], timeout: int = 600) -> str:
    """Run `terraform <args>` in `cwd`; fail with its output when it fails."""
    result = subprocess.run(["terraform", *args, "-no-color"], cwd=cwd, env=env, capture_output=True,
                            text=True, timeout=timeout, check=False)
    if result.returncode != 0:
        output = f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
        raise AssertionError(f"terraform {' '.join(args)} in {cwd.name} failed:\n{output}")
    return result.stdout

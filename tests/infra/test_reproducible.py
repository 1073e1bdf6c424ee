"""Two synths in two checkouts, with mtimes changed between them, give byte-identical trees."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.synth import ROOT, run_synth

pytestmark = pytest.mark.slow


def checkout(dest: Path) -> Path:
    """Copy the files git would check out (tracked + new, not ignored) to `dest`."""
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT,
                            capture_output=True, check=True).stdout.decode().split("\0")
    for rel in filter(None, listed):
        source = ROOT / rel
        if source.is_file():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / rel)
    return dest


def tree_digest(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_synth_is_byte_identical_across_checkouts_and_mtimes(tmp_path: Path) -> None:
    first, second = checkout(tmp_path / "one"), checkout(tmp_path / "checkout-two")
    for path in second.rglob("*"):
        os.utime(path, (2_000_000_000, 2_000_000_000))
    run_synth("local", first / "cdktf.out", cwd=first)
    run_synth("local", second / "cdktf.out", cwd=second)
    one, two = tree_digest(first / "cdktf.out"), tree_digest(second / "cdktf.out")
    assert [n for n in one if n.endswith(".zip")], "the trees must include the Lambda zips"
    assert one == two

"""bench/cpu_quota.py: a cgroup with a CFS quota that a child joins, removed afterwards."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from cpu_quota import PERIOD_US, cpu_quota

_JOIN_AND_PRINT = ("import sys; from pathlib import Path; from cpu_quota import join; "
                   "join(Path(sys.argv[1])); print(open('/proc/self/cgroup').read())")


def _quota(group: Path) -> str:
    if (group / "cpu.cfs_quota_us").exists():
        return (group / "cpu.cfs_quota_us").read_text().strip()
    return (group / "cpu.max").read_text().split()[0]


def test_a_child_runs_in_a_group_limited_to_the_share_and_the_group_is_removed() -> None:
    bench = Path(__file__).resolve().parents[2] / "bench"
    with cpu_quota(1.7) as group:
        if group is None:
            pytest.skip("no writable cgroup cpu controller on this machine")
        # When a child joins the group
        done = subprocess.run([sys.executable, "-c", _JOIN_AND_PRINT, str(group)], cwd=bench,
                              capture_output=True, text=True, check=True)
        # Then the group allows 1.7 CPUs, and the child was in it
        assert (_quota(group), group.name in done.stdout) == (str(round(1.7 * PERIOD_US)), True)
    assert not group.exists()

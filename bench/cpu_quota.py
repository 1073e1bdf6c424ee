"""A CPU quota for a benchmark's child processes (a cgroup's CFS quota), to give them a Lambda's vCPU share.

Lambda gives a function at 3,008 MB two cores but only 1.7 vCPU-seconds per second; pinning a child
to two CPUs alone would measure it with 2. The parent makes the group, each child joins it before
it measures, and the parent removes it at the end. Without a writable cpu controller (cgroup v1
``cpu`` or v2 ``cpu.max``) there is no quota, which the caller reports.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PERIOD_US = 100_000
_V1 = Path("/sys/fs/cgroup/cpu")
_V2 = Path("/sys/fs/cgroup")


def _limit(group: Path, share: float) -> None:
    quota = round(share * PERIOD_US)
    if (group / "cpu.cfs_quota_us").exists():
        (group / "cpu.cfs_period_us").write_text(str(PERIOD_US))
        (group / "cpu.cfs_quota_us").write_text(str(quota))
    else:
        (group / "cpu.max").write_text(f"{quota} {PERIOD_US}")


def _parent() -> Path | None:
    if (_V1 / "cpu.cfs_quota_us").exists():
        return _V1
    controllers = _V2 / "cgroup.subtree_control"
    if controllers.exists() and "cpu" in controllers.read_text().split():
        return _V2
    return None


@contextmanager
def cpu_quota(share: float) -> Iterator[Path | None]:
    """A new cgroup limited to ``share`` CPUs for as long as the block runs; None if not possible."""
    parent = _parent()
    group = None if parent is None else parent / f"txnpipe-bench-{os.getpid()}"
    try:
        if group is not None:
            group.mkdir()
            _limit(group, share)
    except OSError:
        if group is not None and group.exists():
            group.rmdir()
        group = None
    try:
        yield group
    finally:
        if group is not None:
            group.rmdir()  # the children that joined it have exited


def join(group: Path) -> None:
    """Move this process into ``group`` (its threads and later children come along)."""
    (group / "cgroup.procs").write_text(str(os.getpid()))

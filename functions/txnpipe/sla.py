"""The file SLA (pure): a file must reach a terminal status within 15 minutes of upload."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from txnpipe.status import FileStatus

SLA = timedelta(minutes=15)
OPEN_STATUSES = tuple(s for s in FileStatus if not s.terminal)


def parse_utc(stamp: str) -> datetime:
    """Read the pipeline's `...Z` timestamps."""
    return datetime.fromisoformat(stamp.replace("Z", "+00:00"))


def overdue(received_at: Iterable[str], *, now: datetime, sla: timedelta = SLA) -> int:
    """How many of these non-terminal files were received more than `sla` before `now`."""
    return sum(1 for stamp in received_at if now - parse_utc(stamp) > sla)

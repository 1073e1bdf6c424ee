"""CSV header rules: exact, case-sensitive names; extras ignored; required ones present."""

from __future__ import annotations

from collections.abc import Sequence

from txnpipe.domain.results import FileRejected
from txnpipe.domain.rules import REQUIRED_FIELDS


def check_header(names: Sequence[str]) -> None:
    """Raise FileRejected for duplicate names or missing required columns."""
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise FileRejected(f"duplicate column in header: {name}")
        seen.add(name)
    missing = [name for name in REQUIRED_FIELDS if name not in seen]
    if missing:
        raise FileRejected("missing required column(s): " + ", ".join(missing))

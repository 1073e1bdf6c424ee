"""Findings of the gates in other engineers' resources, reported with their fix (not skipped).

The gates ignore exactly these (so a *new* finding still fails `make test`), and
`test_open_findings.py` keeps one strict xfail per entry: when the fix lands, that test
XPASSes and fails, telling whoever fixed it to delete the entry here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Open:
    gate: str  # "checkov", "parliament" or a name in gates.all_gates
    match: str  # substring of the finding text
    owner: str
    fix: str


OPEN: tuple[Open, ...] = (
)


def new_findings(gate: str, findings: Iterable[str]) -> list[str]:
    """`findings` minus the reported open ones of `gate`."""
    known = [o.match for o in OPEN if o.gate == gate]
    return [f for f in findings if not any(m in f for m in known)]

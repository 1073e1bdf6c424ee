"""Is a new pattern narrower than the old one? Decided on generated samples of each.

Values are generated from each pattern (hypothesis `from_regex`, derandomized, so the same pair always
gives the same answer). A value the old pattern accepts and the new one rejects proves the change
narrower (breaking). Finding none in the samples is evidence, not proof: the summary says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

SAMPLES: Final = 100


@dataclass(frozen=True)
class PatternVerdict:
    """`narrower` when some value valid before is invalid now; `summary` says what was found."""

    narrower: bool
    summary: str


def samples(pattern: str, count: int = SAMPLES) -> list[str]:
    """Up to `count` distinct values matching `pattern` as a whole."""
    found: set[str] = set()

    @settings(max_examples=count, derandomize=True, database=None, suppress_health_check=list(HealthCheck),
              deadline=None)
    @given(st.from_regex(pattern, fullmatch=True))
    def collect(value: str) -> None:
        found.add(value)

    collect()
    return sorted(found)


def _escapes(source: str | None, target: str | None) -> list[str]:
    """Samples of `source` that `target` rejects (no pattern accepts anything)."""
    if source is None:
        return []
    if target is None:
        return []
    compiled = re.compile(target)
    return [value for value in samples(source) if compiled.fullmatch(value) is None]


def compare_patterns(old: str | None, new: str | None) -> PatternVerdict:
    """Compare two whole-value pattern bodies (None: no pattern, anything goes)."""
    if new is not None and old is None:
        return PatternVerdict(True, "a pattern now applies")
    lost = _escapes(old, new)
    if lost:
        return PatternVerdict(True, f"rejects values valid before, e.g. {lost[0]!r}")
    gained = _escapes(new, old)
    if new is None or gained:
        example = f", e.g. {gained[0]!r}" if gained else ""
        return PatternVerdict(False, f"accepts more{example}")
    return PatternVerdict(False, f"rewritten; the same verdict on {SAMPLES} samples of each")

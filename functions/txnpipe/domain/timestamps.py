"""Timestamp rule: ISO 8601 date-time with seconds and an explicit offset, normalised to UTC."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

#: Most fractional-second digits accepted (nanoseconds); largest offset hours and minutes.
MAX_FRACTION_DIGITS = 9
MAX_OFFSET_HOURS = 23
MAX_OFFSET_MINUTES = 59

_FULL = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})"
    rf"(?:\.([0-9]{{1,{MAX_FRACTION_DIGITS}}}))?(Z|[+-][0-9]{{2}}:[0-9]{{2}})",
    re.ASCII,
)
_NAIVE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]+)?", re.ASCII)
_NO_SECONDS = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(Z|[+-][0-9]{2}:[0-9]{2})?", re.ASCII)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class UtcTime:
    """A validated instant: whole seconds since the epoch and its ISO text ``YYYY-MM-DDTHH:MM:SSZ``."""

    epoch_seconds: int
    iso: str


def _shape_problem(text: str) -> str:
    if _NAIVE.fullmatch(text):
        return "missing time zone offset (Z or +hh:mm/-hh:mm)"
    if _NO_SECONDS.fullmatch(text):
        return "seconds are required"
    return "not an ISO 8601 date-time (YYYY-MM-DDTHH:MM:SS plus Z or +hh:mm)"


def _offset(text: str) -> timedelta | None:
    if text == "Z":
        return timedelta(0)
    hours, minutes = int(text[1:3]), int(text[4:6])
    if hours > MAX_OFFSET_HOURS or minutes > MAX_OFFSET_MINUTES:
        return None
    delta = timedelta(hours=hours, minutes=minutes)
    return -delta if text[0] == "-" else delta


def format_utc(moment: datetime) -> str:
    """Format an aware UTC datetime as ``YYYY-MM-DDTHH:MM:SSZ`` (4-digit year, no fraction)."""
    return (
        f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}"
        f"T{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d}Z"
    )


def parse_timestamp(text: str) -> UtcTime | str:
    """Validate ``text`` and return the UTC instant (fraction truncated) or a problem string."""
    if text == "":
        return "required"
    match = _FULL.fullmatch(text)
    if match is None:
        return _shape_problem(text)
    year, month, day, hour, minute, second = (int(g) for g in match.groups()[:6])
    offset = _offset(match.group(8))
    if offset is None:
        return "invalid offset (hours 00-23, minutes 00-59)"
    try:
        local = datetime(year, month, day, hour, minute, second, tzinfo=UTC)
        moment = local - offset
    except ValueError:
        return "invalid calendar date or time"
    except OverflowError:
        return "out of range after conversion to UTC"
    return UtcTime(int((moment - _EPOCH).total_seconds()), format_utc(moment))

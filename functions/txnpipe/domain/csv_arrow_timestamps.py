"""Vectorised timestamp rule: strict shape checks around Arrow's ISO 8601 cast, UTC seconds.

Arrow's cast checks digits, hour/minute/second and offset ranges and the calendar (leap
years included), but is lenient in shape (a space for ``T``, ``+hh``/``+hhmm`` offsets,
missing seconds) and fails a whole array for one bad value. So the shape is checked first
(fixed lengths 20 ``...Z`` / 25 ``...+hh:mm``, ``T``, a calendar-valid month/day), every other
row is set to a placeholder, and only a batch whose cast still fails takes a strict regular
expression (rare: hour 24, minute 60, offset +24:00, non-digits).
"""

from __future__ import annotations

import calendar
from datetime import UTC, datetime

import pyarrow as pa
import pyarrow.compute as pc

_UTC_S = pa.timestamp("s", tz="UTC")
_PLACEHOLDER = "2000-01-01T00:00:00Z"
_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
#: "-MM-DDT" (bytes 4..11) of every month/day valid in all years; 02-29 depends on the year.
_MONTH_DAY_T = pa.array(
    [f"-{month:02d}-{day:02d}T".encode() for month, last in enumerate(_DAYS, 1) for day in range(1, last + 1)],
    pa.binary(),
)
_LEAP_DAY_T = b"-02-29T"
_LEAP_YEARS = pa.array([f"{year:04d}".encode() for year in range(10000) if calendar.isleap(year)], pa.binary())
#: Clean UTC range. Below 0001-01-02 the local year may be 0000 (invalid): the row-wise rule decides.
_MIN_UTC = pa.scalar(datetime(1, 1, 2, tzinfo=UTC), _UTC_S)
_MAX_UTC = pa.scalar(datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC), _UTC_S)
_FRACTION = r"^([^.]{19})\.[0-9]{1,9}"
_STRICT = (
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]"
    r"(?:Z|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])$"
)


def _calendar_ok(raw: pa.Array) -> pa.Array:
    """Month/day valid for the row's year, and ``T`` at byte 10."""
    month_day = pc.binary_slice(raw, 4, 11)
    ok = pc.is_in(month_day, value_set=_MONTH_DAY_T)
    leap_day = pc.equal(month_day, _LEAP_DAY_T)
    if pc.any(leap_day).as_py():
        leap_year = pc.is_in(pc.binary_slice(raw, 0, 4), value_set=_LEAP_YEARS)
        ok = pc.or_(ok, pc.and_(leap_day, leap_year))
    return ok


def _cast_utc(stamps: pa.Array, ok: pa.Array) -> tuple[pa.Array, pa.Array]:
    """UTC seconds of the ``ok`` rows (placeholder elsewhere); narrows ``ok`` if the cast fails."""
    try:
        return ok, pc.cast(pc.if_else(ok, stamps, _PLACEHOLDER), _UTC_S)
    except pa.ArrowInvalid:
        pass  # some shaped row has an out-of-range field or a non-digit: judge them strictly
    ok = pc.and_(ok, pc.match_substring_regex(stamps, _STRICT))
    return ok, pc.cast(pc.if_else(ok, stamps, _PLACEHOLDER), _UTC_S)


def timestamp_mask(stamps: pa.Array) -> tuple[pa.Array, pa.Array]:
    """(rows whose timestamp certainly passes the rule, their UTC instants in whole seconds).

    A fraction ``.f{1,9}`` right after the seconds is dropped first (truncation, as the rule
    does); the placeholder stands where the mask is False.
    """
    raw = stamps.view(pa.binary())
    if pc.any(pc.equal(pc.binary_slice(raw, 19, 20), b".")).as_py():
        stamps = pc.replace_substring_regex(stamps, _FRACTION, r"\1")
        raw = stamps.view(pa.binary())
    length = pc.binary_length(raw)
    zulu = pc.and_(pc.equal(length, 20), pc.ends_with(raw, b"Z"))
    shape = pc.or_(zulu, pc.equal(length, 25))  # 25 bytes cast only as "...SS+hh:mm"
    ok, utc = _cast_utc(stamps, pc.and_(shape, _calendar_ok(raw)))
    in_range = pc.and_(pc.greater_equal(utc, _MIN_UTC), pc.less_equal(utc, _MAX_UTC))
    return pc.and_(ok, in_range), utc

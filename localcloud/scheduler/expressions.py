"""EventBridge Scheduler schedule expressions: when a schedule fires next (pure).

Followed: EventBridge Scheduler User Guide, "Schedule types on EventBridge Scheduler":

* `rate(value unit)`, unit minute(s) / hour(s) / day(s): every value units from the schedule's
  start (its StartDate, else its creation), first firing one interval after it;
* `cron(minutes hours day-of-month month day-of-week year)` in the schedule's
  ScheduleExpressionTimezone (IANA name, default UTC, daylight saving time followed): fields take
  `*`, `,`, `-`, `/`; month `1-12` or `JAN-DEC`; day-of-week `1-7` (1 = Sunday) or `SUN-SAT`; one
  of day-of-month / day-of-week is `?`. `L`, `W` and `#` raise `UnsupportedExpression` here;
* `at(yyyy-mm-ddThh:mm:ss)`: once, at that time in the schedule's timezone.

Times are epoch seconds on the emulated clock (`localcloud.clock`).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

_RATE = re.compile(r"rate\(\s*(\d+)\s+(minutes?|hours?|days?)\s*\)")
_UNITS = {"minute": 60, "hour": 3600, "day": 86400}
_MONTHS = {m: i + 1 for i, m in enumerate(["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"])}
_DAYS = {d: i + 1 for i, d in enumerate(["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"])}
_RANGES = ((0, 59), (0, 23), (1, 31), (1, 12), (1, 7), (1970, 2199))
SEARCH_DAYS = 366 * 5  # a cron that matches no day within five years never fires


class UnsupportedExpression(ValueError):
    """A schedule expression the emulator cannot compute (or that is not valid)."""


@dataclass(frozen=True)
class Cron:
    """The allowed values of each cron field; None for `?`."""

    minutes: frozenset[int]
    hours: frozenset[int]
    days: frozenset[int] | None
    months: frozenset[int]
    weekdays: frozenset[int] | None
    years: frozenset[int]

    def day_matches(self, day: datetime) -> bool:
        weekday = (day.weekday() + 1) % 7 + 1  # Python Monday=0 -> AWS Sunday=1
        return (day.year in self.years and day.month in self.months
                and (self.days is None or day.day in self.days)
                and (self.weekdays is None or weekday in self.weekdays))


def _value(text: str, names: dict[str, int]) -> int:
    if text.upper() in names:
        return names[text.upper()]
    if not text.isdigit():
        raise UnsupportedExpression(f"cron value {text!r} is not supported by the emulator (L, W and # are not)")
    return int(text)


def _field(text: str, index: int) -> frozenset[int] | None:
    low, high = _RANGES[index]
    names = _MONTHS if index == 3 else _DAYS if index == 4 else {}
    if text == "?" and index in (2, 4):
        return None
    values: set[int] = set()
    for part in text.split(","):
        base, _, step = part.partition("/")
        if base == "*":
            start, end = low, high
        elif "-" in base:
            start, end = (_value(v, names) for v in base.split("-", 1))
        else:
            start = _value(base, names)
            end = high if step else start
        values.update(range(start, end + 1, int(step) if step else 1))
    if not values or min(values) < low or max(values) > high:
        raise UnsupportedExpression(f"cron field {text!r} is out of range {low}-{high}")
    return frozenset(values)


def parse_cron(expression: str) -> Cron:
    """The fields of `cron(...)`."""
    inner = expression.strip()[len("cron("):-1].split()
    if len(inner) != 6:
        raise UnsupportedExpression(f"{expression!r}: a cron expression has 6 fields")
    fields = [_field(text, i) for i, text in enumerate(inner)]
    for required in (0, 1, 3, 5):
        if fields[required] is None:
            raise UnsupportedExpression(f"{expression!r}: only day-of-month or day-of-week may be '?'")
    return Cron(*fields)  # type: ignore[arg-type]


def rate_seconds(expression: str) -> int:
    """The interval of `rate(...)` in seconds."""
    match = _RATE.fullmatch(expression.strip())
    if match is None or int(match.group(1)) < 1:
        raise UnsupportedExpression(f"{expression!r} is not a rate expression (rate(value minute|hour|day))")
    return int(match.group(1)) * _UNITS[match.group(2).rstrip("s")]


def _cron_next(cron: Cron, after: float, zone: ZoneInfo) -> float | None:
    local = datetime.fromtimestamp(after, zone)
    day = local.replace(hour=0, minute=0, second=0, microsecond=0, tzinfo=None)
    for _ in range(SEARCH_DAYS):
        if cron.day_matches(day):
            for hour in sorted(cron.hours):
                for minute in sorted(cron.minutes):
                    moment = day.replace(hour=hour, minute=minute).replace(tzinfo=zone).timestamp()
                    if moment > after:
                        return moment
        day += timedelta(days=1)
    return None


def next_fire(expression: str, after: float, *, timezone: str = "UTC", anchor: float | None = None) -> float | None:
    """The first firing strictly after `after` (None: never again); `anchor` starts a rate schedule."""
    zone = ZoneInfo(timezone or "UTC")
    text = expression.strip()
    if text.startswith("rate("):
        interval, start = rate_seconds(text), anchor if anchor is not None else after
        return start + max(1, math.floor((after - start) / interval) + 1) * interval
    if text.startswith("cron(") and text.endswith(")"):
        return _cron_next(parse_cron(text), after, zone)
    if text.startswith("at(") and text.endswith(")"):
        moment = datetime.fromisoformat(text[3:-1]).replace(tzinfo=zone).timestamp()
        return moment if moment > after else None
    raise UnsupportedExpression(f"{expression!r} is not a rate, cron or at expression")

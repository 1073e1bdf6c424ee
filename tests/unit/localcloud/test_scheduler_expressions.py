"""Next firing of EventBridge Scheduler expressions: rate from the start, cron and at in the schedule's timezone."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from localcloud.scheduler.expressions import UnsupportedExpression, next_fire, rate_seconds


def _t(text: str) -> float:
    return datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp()


START = _t("2026-03-28T12:00:00")


def test_rate_units() -> None:
    assert [rate_seconds(e) for e in ("rate(1 minute)", "rate(5 minutes)", "rate(2 hours)", "rate(1 day)")] == \
        [60, 300, 7200, 86400]


def test_a_rate_fires_one_interval_after_its_start() -> None:
    assert next_fire("rate(5 minutes)", START, anchor=START) == START + 300


def test_a_rate_keeps_its_phase_from_the_start() -> None:
    assert next_fire("rate(5 minutes)", START + 301, anchor=START) == START + 600


def test_cron_follows_the_timezone_across_daylight_saving_time() -> None:
    # 08:00 in Berlin is 07:00 UTC on Saturday, 06:00 UTC on Sunday (summer time from 29 March 2026)
    assert next_fire("cron(0 8 * * ? *)", START, timezone="Europe/Berlin") == _t("2026-03-29T06:00:00")


def test_cron_day_of_week_names_skip_the_weekend() -> None:
    assert next_fire("cron(30 9 ? * MON-FRI *)", START) == _t("2026-03-30T09:30:00")


def test_cron_steps() -> None:
    assert next_fire("cron(0/15 * * * ? *)", START + 1) == START + 900


def test_at_is_read_in_the_schedules_timezone() -> None:
    assert next_fire("at(2026-03-28T13:00:00)", START, timezone="America/New_York") == _t("2026-03-28T17:00:00")


def test_a_past_at_never_fires_again() -> None:
    assert next_fire("at(2026-03-28T11:00:00)", START) is None


def test_cron_l_is_refused_naming_it() -> None:
    with pytest.raises(UnsupportedExpression, match="'6L'"):
        next_fire("cron(0 10 ? * 6L *)", START)


def test_a_cron_needs_six_fields() -> None:
    with pytest.raises(UnsupportedExpression, match="6 fields"):
        next_fire("cron(0 10 * * ?)", START)

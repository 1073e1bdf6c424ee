"""Which firing of a moto schedule is due: rate phase from StartDate, EndDate, coalesced missed firings."""

from __future__ import annotations

from typing import Any

from moto.scheduler.models import Schedule

from localcloud.patches.scheduler import due

START = 1_899_999_600.0  # a ten-minute boundary, far from the test's own clock


def _schedule(expression: str, **extra: Any) -> Schedule:
    spec: dict[str, Any] = dict(region="us-east-1", account_id="123456789012", group_name="default", name="s",
                                description=None, schedule_expression=expression, schedule_expression_timezone=None,
                                flexible_time_window={"Mode": "OFF"}, target={"Arn": "arn"}, state="ENABLED",
                                kms_key_arn=None, start_date=START, end_date=None, action_after_completion=None)
    spec.update(extra)
    return Schedule(**spec)


def test_nothing_is_due_before_the_first_interval() -> None:
    assert due(_schedule("rate(5 minutes)"), None, START + 299) is None


def test_the_first_rate_firing_is_one_interval_after_the_start() -> None:
    assert due(_schedule("rate(5 minutes)"), None, START + 300) == START + 300


def test_missed_firings_coalesce_into_the_latest() -> None:
    assert due(_schedule("rate(5 minutes)"), START + 300, START + 1000) == START + 900


def test_a_firing_already_made_is_not_due_again() -> None:
    assert due(_schedule("rate(5 minutes)"), START + 900, START + 1000) is None


def test_nothing_fires_after_the_end_date() -> None:
    assert due(_schedule("rate(5 minutes)", end_date=START + 400), START + 300, START + 600) is None


def test_a_cron_fires_at_its_minute() -> None:
    assert due(_schedule("cron(0/10 * * * ? *)"), None, START + 700) == START + 600

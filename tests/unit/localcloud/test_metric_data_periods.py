"""GetMetricData's pure parts: period starts from the rounded StartTime, buckets from them, expressions using expressions."""

from __future__ import annotations

import pytest

from localcloud.alarms import stats
from localcloud.alarms.metric_math import Failed, evaluate_all
from localcloud.patches.cloudwatch_metric_data import period_starts

DAY = 86400
NOW = 1_800_000_000.0  # a multiple of 3600


def test_a_recent_start_is_rounded_down_to_the_minute_and_periods_follow_from_it() -> None:
    assert period_starts(NOW - 3600 + 90.5, NOW - 3000, 300, NOW) == [NOW - 3600 + 60, NOW - 3600 + 360]


def test_a_start_20_days_ago_is_rounded_down_to_five_minutes() -> None:
    assert period_starts(NOW - 20 * DAY + 420, NOW - 20 * DAY + 900, 300, NOW)[0] == NOW - 20 * DAY + 300


def test_a_start_70_days_ago_is_rounded_down_to_the_hour() -> None:
    assert period_starts(NOW - 70 * DAY + 1800, NOW - 69 * DAY, 3600, NOW)[0] == NOW - 70 * DAY


def test_a_ten_second_period_rounds_to_ten_seconds() -> None:
    assert period_starts(NOW - 583, NOW - 575, 10, NOW) == [NOW - 590, NOW - 580]


def test_the_last_period_starts_before_the_end() -> None:
    assert period_starts(NOW - 600, NOW - 1, 300, NOW) == [NOW - 600, NOW - 300]


def test_periods_off_the_epoch_multiple_bucket_from_the_first_start() -> None:
    # Given 5-minute periods starting at :01 (a rounded StartTime), datums at :03 and :07
    starts = [NOW + 60, NOW + 360]
    datums = [stats.Datum.raw(NOW + 180, 1.0), stats.Datum.raw(NOW + 420, 2.0)]
    # Then each falls in the period that holds it
    assert stats.series("Sum", datums, starts, 300) == [1.0, 2.0]


def test_an_expression_may_use_one_listed_after_it() -> None:
    found = evaluate_all({"share": "rate / 100", "rate": "100 * e / i"}, {"e": [1.0], "i": [4.0]}, 1)
    assert found["share"] == [0.25]


def test_an_expression_using_an_unknown_id_fails_naming_its_query() -> None:
    with pytest.raises(Failed) as failed:
        evaluate_all({"ok": "e + 1", "bad": "nope * 2"}, {"e": [1.0]}, 1)
    assert failed.value.query_id == "bad"
    assert "'nope'" in str(failed.value)


def test_an_unsupported_function_fails_naming_its_query() -> None:
    with pytest.raises(Failed) as failed:
        evaluate_all({"band": "ANOMALY_DETECTION_BAND(e, 2)"}, {"e": [1.0]}, 1)
    assert failed.value.query_id == "band"

"""CloudWatch statistics per period, as "CloudWatch statistics definitions" describes them."""

from __future__ import annotations

import pytest

from localcloud.alarms.stats import Datum, UnsupportedStatistic, period_start, series, statistic

RAW = [Datum.raw(120.0 + i, float(v)) for i, v in enumerate([4, 1, 3, 2])]


@pytest.mark.parametrize(("stat", "expected"), [
    ("Sum", 10.0), ("Average", 2.5), ("Minimum", 1.0), ("Maximum", 4.0), ("SampleCount", 4.0)])
def test_simple_statistics_of_raw_values(stat: str, expected: float) -> None:
    assert statistic(stat, RAW) == expected


def test_statistic_sets_count_their_samples() -> None:
    # Given a statistic set of 4 samples summing 10 and one raw value 6
    datums = [Datum.aggregated(0.0, total=10, count=4, minimum=1, maximum=4), Datum.raw(1.0, 6)]
    # Then the average weighs every sample
    assert statistic("Average", datums) == 16 / 5


def test_p99_of_a_hundred_values_is_the_99th() -> None:
    datums = [Datum.raw(0.0, float(v)) for v in range(1, 101)]
    assert statistic("p99", datums) == 99.0


def test_p50_takes_the_nearest_rank() -> None:
    assert statistic("p50", RAW) == 2.0


def test_a_percentile_over_a_statistic_set_has_no_value() -> None:
    datums = [Datum.aggregated(0.0, total=10, count=4, minimum=1, maximum=4)]
    assert statistic("p90", datums) is None


def test_p100_of_a_statistic_set_is_its_maximum() -> None:
    assert statistic("p100", [Datum.aggregated(0.0, total=10, count=4, minimum=1, maximum=4)]) == 4.0


def test_an_empty_period_has_no_value() -> None:
    assert statistic("Sum", []) is None


def test_an_unknown_statistic_is_refused_naming_it() -> None:
    with pytest.raises(UnsupportedStatistic, match="'tm99'"):
        statistic("tm99", RAW)


def test_periods_align_to_multiples_of_their_length() -> None:
    assert (period_start(359.0, 300), period_start(61.0, 60)) == (300.0, 60.0)


def test_series_puts_each_datum_in_its_period() -> None:
    # Given datums at 60 s, 61 s and 185 s, When summed per minute from 60 s
    datums = [Datum.raw(60.0, 1.0), Datum.raw(61.0, 2.0), Datum.raw(185.0, 5.0)]
    # Then the minutes are 3, missing, 5
    assert series("Sum", datums, [60.0, 120.0, 180.0], 60) == [3.0, None, 5.0]

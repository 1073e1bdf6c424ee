"""M of N and missing data, against the rows of AWS's table ("Configuring how CloudWatch alarms treat missing data")."""

from __future__ import annotations

import pytest

from localcloud.alarms.evaluate import ALARM, INSUFFICIENT, OK, Rule, UnsupportedAlarm, decide, reason

X, ZERO, MISSING = 20.0, 1.0, None  # breaching, not breaching, missing (threshold 10, GreaterThanThreshold)
CURRENT = "OK"  # the state before evaluation, kept by `ignore` when everything is missing
# Rows of the table: 3 evaluation periods, 3 datapoints to alarm; columns missing, ignore, breaching, notBreaching.
TABLE = [
    ([ZERO, ZERO, ZERO], (OK, OK, OK, OK)),
    ([ZERO, MISSING, MISSING], (OK, OK, OK, OK)),
    ([MISSING, MISSING, MISSING], (INSUFFICIENT, CURRENT, ALARM, OK)),
    ([ZERO, X, X], (OK, OK, OK, OK)),
    ([MISSING, X, MISSING], (ALARM, ALARM, ALARM, OK)),
    ([X, X, X], (ALARM, ALARM, ALARM, ALARM)),
]
TREATMENTS = ("missing", "ignore", "breaching", "notBreaching")


def _rule(treatment: str, m: int = 3, n: int = 3, comparison: str = "GreaterThanThreshold") -> Rule:
    return Rule(threshold=10, comparison=comparison, evaluation_periods=n, datapoints_to_alarm=m, treat_missing=treatment)


@pytest.mark.parametrize(("points", "expected"), TABLE)
@pytest.mark.parametrize("column", range(4))
def test_rows_of_the_missing_data_table(points: list[float | None], expected: tuple[str, ...], column: int) -> None:
    assert decide(_rule(TREATMENTS[column]), points, CURRENT) == expected[column]


def test_two_of_five_breaching_alarm_a_2_of_5_alarm() -> None:
    assert decide(_rule("notBreaching", m=2, n=5), [ZERO, X, ZERO, X, ZERO], OK) == ALARM


def test_one_of_five_breaching_keeps_a_2_of_5_alarm_ok() -> None:
    assert decide(_rule("notBreaching", m=2, n=5), [ZERO, X, ZERO, ZERO, ZERO], ALARM) == OK


@pytest.mark.parametrize(("comparison", "value", "expected"), [
    ("GreaterThanOrEqualToThreshold", 10.0, ALARM), ("GreaterThanThreshold", 10.0, OK),
    ("LessThanThreshold", 9.0, ALARM), ("LessThanOrEqualToThreshold", 10.0, ALARM), ("LessThanThreshold", 10.0, OK)])
def test_comparison_operators_at_the_threshold(comparison: str, value: float, expected: str) -> None:
    assert decide(_rule("missing", m=1, n=1, comparison=comparison), [value], OK) == expected


def test_an_anomaly_band_operator_is_refused_naming_it() -> None:
    with pytest.raises(UnsupportedAlarm, match="LessThanLowerOrGreaterThanUpperThreshold"):
        _rule("missing", comparison="LessThanLowerOrGreaterThanUpperThreshold")


def test_the_alarm_reason_lists_datapoints_newest_first() -> None:
    text = reason(_rule("missing", m=1, n=2), [X, 30.0], ["a", "b"], ALARM, OK)
    assert text.startswith("Threshold Crossed: 2 out of the last 2 datapoints [30.0 (b), 20.0 (a)] were greater than")

"""Metric math as the stacks' alarms use it (stacks/observability/alarms.py), per period."""

from __future__ import annotations

import pytest

from localcloud.alarms.metric_math import ExpressionError, UnsupportedFunction, evaluate

ERROR_RATE = "IF(invocations > 0, 100 * errors / invocations, 0)"


def test_error_rate_is_the_percentage_of_failed_invocations() -> None:
    assert evaluate(ERROR_RATE, {"invocations": [10.0, 4.0], "errors": [1.0, 4.0]}, 2) == [10.0, 100.0]


def test_error_rate_is_zero_without_invocations() -> None:
    assert evaluate(ERROR_RATE, {"invocations": [0.0], "errors": [0.0]}, 1) == [0.0]


def test_error_rate_is_missing_where_invocations_are_missing() -> None:
    assert evaluate(ERROR_RATE, {"invocations": [None], "errors": [1.0]}, 1) == [None]


def test_throttles_add_reads_and_writes_where_both_exist() -> None:
    assert evaluate("reads + writes", {"reads": [1.0, None], "writes": [2.0, 3.0]}, 2) == [3.0, None]


def test_fill_with_a_value_completes_a_sum() -> None:
    assert evaluate("FILL(reads, 0) + FILL(writes, 0)", {"reads": [1.0, None], "writes": [2.0, 3.0]}, 2) == [3.0, 3.0]


def test_fill_repeat_carries_the_last_value_forward() -> None:
    assert evaluate("FILL(m, REPEAT)", {"m": [None, 1.0, None, 2.0]}, 4) == [None, 1.0, 1.0, 2.0]


def test_if_without_false_value_drops_the_datapoint() -> None:
    assert evaluate("IF(m > 1, m)", {"m": [1.0, 5.0]}, 2) == [None, 5.0]


def test_precedence_and_logic() -> None:
    assert evaluate("-m ^ 2 + 10 / 2 AND NOT 0", {"m": [3.0]}, 1) == [1.0]


def test_division_by_zero_is_missing() -> None:
    assert evaluate("a / b", {"a": [1.0], "b": [0.0]}, 1) == [None]


def test_an_unknown_function_is_refused_naming_it() -> None:
    with pytest.raises(UnsupportedFunction, match="ANOMALY_DETECTION_BAND"):
        evaluate("ANOMALY_DETECTION_BAND(m, 2)", {"m": [1.0]}, 1)


def test_an_unknown_id_is_refused_naming_it() -> None:
    with pytest.raises(ExpressionError, match="'nope'"):
        evaluate("nope + 1", {"m": [1.0]}, 1)

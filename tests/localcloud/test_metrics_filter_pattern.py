"""Metric filter patterns evaluated as CloudWatch Logs documents them (pure: no emulator)."""

from __future__ import annotations

import json

import pytest

from localcloud.metrics.filter_pattern import UnsupportedPattern, compile_pattern
from localcloud.metrics.log_filters import apply, check_transformation
from stacks.observability.alarms import ERROR_LINE_PATTERN


def matches(pattern: str, message: str) -> bool:
    return compile_pattern(pattern).matches(message)


def test_the_empty_pattern_matches_every_event() -> None:
    assert matches("", "anything at all")


def test_terms_must_all_appear() -> None:
    assert matches("ERROR timeout", "ERROR: upstream timeout")
    assert not matches("ERROR timeout", "ERROR: upstream refused")


def test_terms_are_case_sensitive() -> None:
    assert not matches("ERROR", "error: lower case")


def test_a_quoted_term_matches_its_exact_text_with_spaces() -> None:
    assert matches('"Task timed out"', "2026-01-01 Task timed out after 3.00 seconds")
    assert not matches('"Task timed out"', "Task was timed out")


def test_question_mark_terms_match_any_of_them() -> None:
    # Given the stacks' error-line pattern, When lines are tested, Then either word counts
    assert matches(ERROR_LINE_PATTERN, "[ERROR] RuntimeError: boom")
    assert matches(ERROR_LINE_PATTERN, json.dumps({"level": "CRITICAL", "message": "disk"}))
    assert not matches(ERROR_LINE_PATTERN, "[INFO] all good")


def test_a_minus_term_excludes_events_containing_it() -> None:
    assert matches("ERROR -retrying", "ERROR gave up")
    assert not matches("ERROR -retrying", "ERROR retrying in 2s")


def test_a_json_pattern_compares_a_string_field() -> None:
    assert matches('{ $.level = "ERROR" }', json.dumps({"level": "ERROR"}))
    assert not matches('{ $.level = "ERROR" }', json.dumps({"level": "INFO"}))


def test_a_json_pattern_compares_a_nested_number_field() -> None:
    assert matches("{ $.detail.latency > 5 }", json.dumps({"detail": {"latency": 6}}))
    assert not matches("{ $.detail.latency > 5 }", json.dumps({"detail": {"latency": 5}}))


def test_a_json_pattern_combines_with_and_and_or() -> None:
    pattern = '{ $.level = "ERROR" && ($.code = 500 || $.retry IS TRUE) }'
    assert matches(pattern, json.dumps({"level": "ERROR", "code": 500}))
    assert matches(pattern, json.dumps({"level": "ERROR", "code": 400, "retry": True}))
    assert not matches(pattern, json.dumps({"level": "INFO", "code": 500}))


def test_a_string_comparison_accepts_a_wildcard() -> None:
    assert matches("{ $.fn = txn-* }", json.dumps({"fn": "txn-ingest"}))


def test_a_json_pattern_never_matches_an_unstructured_line() -> None:
    assert not matches('{ $.level = "ERROR" }', "level = ERROR")


def test_a_comparison_on_a_missing_field_does_not_match() -> None:
    assert not matches("{ $.n > 1 }", json.dumps({"m": 2}))


def test_not_exists_matches_a_missing_field() -> None:
    assert matches("{ $.error NOT EXISTS }", json.dumps({"ok": 1}))


@pytest.mark.parametrize("pattern", ["[ip, user, status = 500]", "%ERR(OR)?%", "{ $.a ~ 1 }", '{ $.n > "x" }',
                                     "{ ($.a = 1 }", '{ $.a = "x"'])
def test_a_pattern_the_emulator_cannot_evaluate_is_refused_naming_it(pattern: str) -> None:
    with pytest.raises(UnsupportedPattern, match="filter pattern") as refused:
        compile_pattern(pattern)
    assert repr(pattern) in str(refused.value)


def test_a_space_delimited_metric_value_is_refused() -> None:
    with pytest.raises(UnsupportedPattern, match="metricValue"):
        check_transformation({"metricName": "m", "metricNamespace": "n", "metricValue": "$bytes"})


def _events(*messages: str) -> list[dict[str, object]]:
    return [{"timestamp": 1_700_000_000_000 + i, "message": m} for i, m in enumerate(messages)]


def test_a_filter_publishes_its_value_for_each_matching_event() -> None:
    # Given a filter counting error lines, When 2 of 3 events match, Then two datapoints of 1 are published
    f = {"filterPattern": ERROR_LINE_PATTERN,
         "metricTransformations": [{"metricName": "ErrorLines", "metricNamespace": "App", "metricValue": "1",
                                    "unit": "Count"}]}
    published = apply(f, _events("[ERROR] a", "[INFO] b", "CRITICAL c"))
    assert [(ns, d.name, d.value, d.unit) for ns, d in published] == [("App", "ErrorLines", 1.0, "Count")] * 2


def test_a_json_selector_value_and_dimension_come_from_the_event() -> None:
    f = {"filterPattern": "{ $.ms > 0 }", "metricTransformations": [
        {"metricName": "Latency", "metricNamespace": "App", "metricValue": "$.ms", "dimensions": {"Fn": "$.fn"}}]}
    (_, datum), = apply(f, _events(json.dumps({"ms": 42, "fn": "ingest"})))
    assert (datum.value, dict(datum.dimensions)) == (42.0, {"Fn": "ingest"})


def test_the_default_value_is_published_once_for_a_batch_without_a_match() -> None:
    f = {"filterPattern": "ERROR", "metricTransformations": [
        {"metricName": "ErrorLines", "metricNamespace": "App", "metricValue": "1", "defaultValue": 0}]}
    published = apply(f, _events("ok", "fine"))
    assert [d.value for _, d in published] == [0.0]


def test_no_default_value_is_published_when_an_event_matches() -> None:
    f = {"filterPattern": "ERROR", "metricTransformations": [
        {"metricName": "ErrorLines", "metricNamespace": "App", "metricValue": "1", "defaultValue": 0}]}
    assert [d.value for _, d in apply(f, _events("ok", "ERROR"))] == [1.0]

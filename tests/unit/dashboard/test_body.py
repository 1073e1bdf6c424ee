"""The dashboard body parser, on the body the observability stack synthesizes and on AWS's syntax."""

from __future__ import annotations

import json
from typing import Any

import pytest

from localcloud.dashboard.body import BodyError, parse
from localcloud.dashboard.model import (
    AlarmWidget,
    Dashboard,
    ExpressionLine,
    MetricLine,
    MetricWidget,
    SearchLine,
    UnsupportedWidget,
)

ALARM_ARN = "arn:aws:cloudwatch:us-east-1:123456789012:alarm:txnpipe-a-errors-local"


@pytest.fixture(scope="module")
def body() -> str:
    from stacks.observability.dashboard import dashboard_body
    from stacks.observability.registry import (
        Watched,
        WatchedApi,
        WatchedFunction,
        WatchedQueue,
        WatchedStateMachine,
        WatchedTable,
    )

    watched = Watched(
        functions=[WatchedFunction(short=s, name=f"txnpipe-{s}-local", log_group=f"/aws/lambda/txnpipe-{s}-local",
                                   timeout_s=30) for s in ("validate", "load")],
        queues=[WatchedQueue(name="txnpipe-work-local", dlq=False, short="work"),
                WatchedQueue(name="txnpipe-work-dlq-local", dlq=True, short="work-dlq")],
        state_machines=[WatchedStateMachine(name="txnpipe-file-local", short="file",
                                            arn="arn:aws:states:us-east-1:123456789012:stateMachine:txnpipe-file-local")],
        apis=[WatchedApi(name="txnpipe-api-local", stage="v1", short="api")],
        tables=[WatchedTable(name="txnpipe-files-local", short="files")],
    )
    return dashboard_body(watched, region="us-east-1", workspace="local", alarm_arns=[ALARM_ARN],
                          alert_topic="txnpipe-alerts-local")


@pytest.fixture(scope="module")
def parsed(body: str) -> Dashboard:
    return parse(body)


def _metric_widget(parsed: Dashboard, title_start: str) -> MetricWidget:
    (widget,) = [w for w in parsed.widgets if isinstance(w, MetricWidget) and w.title.startswith(title_start)]
    return widget


def test_every_widget_of_the_synthesized_body_is_parsed_in_order(body: str, parsed: Dashboard) -> None:
    # Given the body the observability stack synthesizes; When it is parsed
    titles = [w["properties"]["title"] for w in json.loads(body)["widgets"]]
    # Then every widget is there, none unsupported, none with a note
    assert [w.title for w in parsed.widgets] == titles
    assert not [w for w in parsed.widgets if isinstance(w, UnsupportedWidget)]
    assert [w.notes for w in parsed.widgets if w.notes] == []


def test_the_alarm_widget_lists_the_alarm_arns(parsed: Dashboard) -> None:
    (alarms,) = [w for w in parsed.widgets if isinstance(w, AlarmWidget)]
    assert alarms.alarms == (ALARM_ARN,)


def test_the_grid_geometry_is_kept(parsed: Dashboard) -> None:
    first = parsed.widgets[1].geometry
    assert (first.x, first.y, first.width, first.height) == (0, 4, 12, 6)


def test_a_metric_line_carries_namespace_metric_dimensions_and_stat(parsed: Dashboard) -> None:
    widget = _metric_widget(parsed, "API: p99")
    (line,) = widget.lines
    assert isinstance(line, MetricLine)
    assert (line.namespace, line.metric, line.dimensions, line.stat) == (
        "AWS/ApiGateway", "Latency", (("ApiName", "txnpipe-api-local"), ("Stage", "v1")), "p99")


def test_the_widget_period_applies_to_lines_without_their_own(parsed: Dashboard) -> None:
    widget = _metric_widget(parsed, "Throughput")
    assert widget.period == 60
    assert {line.period for line in widget.lines} == {None}


def test_error_rate_lines_are_hidden_metrics_and_a_visible_expression(parsed: Dashboard) -> None:
    widget = _metric_widget(parsed, "Function error rate")
    hidden = [line for line in widget.lines if not line.visible]
    expressions = [line for line in widget.lines if isinstance(line, ExpressionLine)]
    assert [(line.id, type(line)) for line in hidden] == [("i0", MetricLine), ("e0", MetricLine),
                                                          ("i1", MetricLine), ("e1", MetricLine)]
    assert [(e.id, e.expression, e.visible) for e in expressions] == [
        ("r0", "IF(i0 > 0, 100 * e0 / i0, 0)", True), ("r1", "IF(i1 > 0, 100 * e1 / i1, 0)", True)]
    assert (widget.left.min, widget.left.max) == (0, 100)


def test_search_lines_are_parsed_into_namespace_metric_names_stat_and_period(parsed: Dashboard) -> None:
    (line,) = _metric_widget(parsed, "Pipeline throughput").lines
    assert isinstance(line, SearchLine)
    assert (line.namespace, line.metric_names, line.dimension_names, line.stat, line.search_period) == (
        "txnpipe", ("RowsValid", "RowsRejected", "TransactionsLoaded", "FilesRejected"), (), "Sum", 300)


def test_the_sla_widget_has_a_right_axis_line_and_its_annotation(parsed: Dashboard) -> None:
    widget = _metric_widget(parsed, "SLA")
    assert [line.y_axis for line in widget.lines] == ["left", "right"]
    assert [(a.value, a.label, a.y_axis) for a in widget.annotations] == [(900_000, "SLA", "right")]


def _lines(metrics: list[Any]) -> MetricWidget:
    body = {"widgets": [{"type": "metric", "properties": {"title": "t", "metrics": metrics}}]}
    (widget,) = parse(json.dumps(body)).widgets
    assert isinstance(widget, MetricWidget)
    return widget


def test_a_dot_repeats_the_value_at_the_same_position_of_the_previous_line() -> None:
    widget = _lines([["AWS/Lambda", "Invocations", "FunctionName", "fn-a"], [".", "Errors", ".", "."]])
    second = widget.lines[1]
    assert isinstance(second, MetricLine)
    assert (second.namespace, second.metric, second.dimensions) == ("AWS/Lambda", "Errors", (("FunctionName", "fn-a"),))


def test_three_dots_repeat_the_previous_line_but_its_last_values() -> None:
    widget = _lines([["AWS/Lambda", "Errors", "FunctionName", "fn-a", {"stat": "Sum"}], ["...", "fn-b", {"stat": "Max"}]])
    second = widget.lines[1]
    assert isinstance(second, MetricLine)
    assert (second.metric, second.dimensions, second.stat) == ("Errors", (("FunctionName", "fn-b"),), "Max")


def test_a_shorthand_without_a_previous_line_is_a_visible_note() -> None:
    widget = _lines([[".", "Errors"]])
    assert widget.lines == ()
    assert widget.notes == ("not rendered: metrics[0]: '.' at position 0 has no value at that position in a previous "
                            "metric line",)


def test_widget_defaults_follow_aws_period_300_and_stat_average() -> None:
    widget = _lines([["AWS/SQS", "NumberOfMessagesSent", "QueueName", "q"]])
    assert (widget.period, widget.stat) == (300, "Average")


def test_an_unknown_line_option_is_a_note_not_dropped() -> None:
    widget = _lines([["AWS/SQS", "NumberOfMessagesSent", {"sparkle": True}]])
    assert widget.notes == ("not rendered: metrics[0] option 'sparkle'",)


def test_a_search_with_not_is_a_note() -> None:
    widget = _lines([[{"expression": "SEARCH('{txnpipe} NOT RowsValid', 'Sum', 300)", "id": "s"}]])
    assert widget.lines == ()
    assert widget.notes[0].startswith("not rendered: metrics[0]: NOT and parentheses")


def test_other_widget_types_and_views_are_unsupported_with_the_reason() -> None:
    body = {"widgets": [{"type": "log", "properties": {"title": "logs", "query": "fields @message"}},
                        {"type": "metric", "properties": {"title": "n", "view": "singleValue", "metrics": []}}]}
    # When a body has a log widget and a single-value metric widget
    log, single = parse(json.dumps(body)).widgets
    # Then each is kept as unsupported, saying why
    assert isinstance(log, UnsupportedWidget)
    assert log.why == "widget type 'log'"
    assert isinstance(single, UnsupportedWidget)
    assert single.why == "metric view 'singleValue' (only timeSeries)"


def test_vertical_annotations_and_unknown_properties_are_notes() -> None:
    body = {"widgets": [{"type": "metric", "properties": {"title": "t", "metrics": [], "stacked": True,
                                                          "annotations": {"vertical": [{"value": "2024-01-01"}]}}}]}
    (widget,) = parse(json.dumps(body)).widgets
    assert widget.notes == ("not rendered: property 'stacked'", "not rendered: annotations.vertical")


def test_a_body_without_widgets_is_refused_naming_it() -> None:
    with pytest.raises(BodyError, match="no `widgets` array"):
        parse('{"start": "-PT6H"}')

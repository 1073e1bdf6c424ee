"""The dashboard renderer against the emulator: a stored dashboard, metrics put with PutMetricData, one HTML page."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest

from localcloud.__main__ import main
from localcloud.dashboard import DashboardMissing, Rendered, WidgetSummary, render
from localcloud.emulator import Emulator

NS = "lc-dash"  # this file's own namespace: the session emulator is shared
NOW = datetime.now(UTC).replace(microsecond=0)
ALARM = "lc-dash-errors"


def _put_data(cloudwatch: Any) -> None:
    fn = [{"Name": "FunctionName", "Value": "lc-dash-fn"}]
    for minutes in range(0, 60, 10):
        when = NOW - timedelta(minutes=minutes + 1)
        cloudwatch.put_metric_data(Namespace=NS, MetricData=[
            {"MetricName": "Invocations", "Dimensions": fn, "Value": 10.0, "Timestamp": when},
            {"MetricName": "Errors", "Dimensions": fn, "Value": 1.0, "Timestamp": when},
            {"MetricName": "RowsValid", "Dimensions": [{"Name": "service", "Value": "validator"}], "Value": 5.0,
             "Timestamp": when},
        ])


def _body() -> dict[str, Any]:
    arn = f"arn:aws:cloudwatch:us-east-1:123456789012:alarm:{ALARM}"
    metric = {"type": "metric", "width": 12, "height": 6}
    return {"widgets": [
        {"type": "alarm", "x": 0, "y": 0, "width": 24, "height": 3, "properties": {"title": "Alarms", "alarms": [arn]}},
        {**metric, "x": 0, "y": 3, "properties": {"title": "Invocations <lc-dash> & errors", "period": 300, "metrics": [
            [NS, "Invocations", "FunctionName", "lc-dash-fn", {"stat": "Sum", "id": "i0"}],
            [".", "Errors", ".", ".", {"stat": "Sum", "id": "e0", "visible": False}],
            [{"expression": "IF(i0 > 0, 100 * e0 / i0, 0)", "id": "r0", "label": "error %"}],
        ]}},
        {**metric, "x": 12, "y": 3, "properties": {"title": "Rows (SEARCH)", "metrics": [
            [{"expression": f"SEARCH('{{{NS}}} MetricName=\"RowsValid\" OR MetricName=\"RowsRejected\"', 'Sum', 300)",
              "id": "rows", "label": "pipeline"}]]}},
        {**metric, "x": 0, "y": 9, "properties": {"title": "Nothing published", "metrics": [
            [NS, "NeverPublished", "FunctionName", "lc-dash-fn", {"stat": "Sum"}]]}},
    ]}


@pytest.fixture(scope="module")
def rendered(emulator: Emulator) -> Rendered:
    cloudwatch = boto3.client("cloudwatch")
    _put_data(cloudwatch)
    cloudwatch.put_metric_alarm(AlarmName=ALARM, Namespace=NS, MetricName="Errors", Statistic="Sum", Period=60,
                                EvaluationPeriods=1, Threshold=5, ComparisonOperator="GreaterThanThreshold")
    cloudwatch.set_alarm_state(AlarmName=ALARM, StateValue="ALARM", StateReason="lc-dash: 6 errors > 5")
    cloudwatch.put_dashboard(DashboardName="lc-dash", DashboardBody=json.dumps(_body()))
    return render(cloudwatch, "lc-dash", start=NOW - timedelta(hours=3), end=NOW)


def _widget(rendered: Rendered, title: str) -> WidgetSummary:
    (widget,) = [w for w in rendered.widgets if w.title == title]
    return widget


def test_the_metric_line_has_datapoints(rendered: Rendered) -> None:
    widget = _widget(rendered, "Invocations <lc-dash> & errors")
    (invocations,) = [s for s in widget.series if s.label == "Invocations lc-dash-fn"]
    assert invocations.datapoints > 0


def test_a_hidden_line_is_not_a_series(rendered: Rendered) -> None:
    widget = _widget(rendered, "Invocations <lc-dash> & errors")
    assert [s.label for s in widget.series] == ["Invocations lc-dash-fn", "error %"]


def test_the_expression_line_has_datapoints_counted_in_its_legend(rendered: Rendered) -> None:
    # The emulator evaluates the metric math (localcloud.patches.cloudwatch_metric_data): one point per 5-minute
    # period holding data (six datapoints ten minutes apart)
    (rate,) = [s for s in _widget(rendered, "Invocations <lc-dash> & errors").series if s.label == "error %"]
    assert rate.datapoints == 6
    assert "error %: 6 points" in rendered.html


def test_the_search_resolves_to_the_published_metric_with_datapoints(rendered: Rendered) -> None:
    (series,) = _widget(rendered, "Rows (SEARCH)").series
    assert series.label == "pipeline RowsValid validator"
    assert series.datapoints > 0


def test_a_metric_without_data_says_no_data(rendered: Rendered) -> None:
    (series,) = _widget(rendered, "Nothing published").series
    assert series.datapoints == 0
    assert "NeverPublished lc-dash-fn: no data" in rendered.html


def test_the_alarm_widget_lists_the_alarm_with_its_state(rendered: Rendered) -> None:
    (row,) = _widget(rendered, "Alarms").alarms
    assert (row.name, row.state, row.reason) == (ALARM, "ALARM", "lc-dash: 6 errors > 5")
    assert f"<td>{ALARM}</td>" in rendered.html
    assert "lc-dash: 6 errors &gt; 5" in rendered.html


def test_the_page_escapes_the_title_and_draws_svg_without_scripts(rendered: Rendered) -> None:
    assert "Invocations &lt;lc-dash&gt; &amp; errors" in rendered.html
    assert "<svg" in rendered.html
    assert "<script" not in rendered.html


def test_a_missing_dashboard_is_an_error_naming_it(emulator: Emulator) -> None:
    with pytest.raises(DashboardMissing, match="'lc-dash-absent'"):
        render(boto3.client("cloudwatch"), "lc-dash-absent")


def test_the_cli_exits_1_naming_a_missing_dashboard_and_the_endpoint(
    emulator: Emulator, capsys: pytest.CaptureFixture[str],
) -> None:
    # Given no dashboard of that name; When the CLI renders it
    code = main(["dashboard", "--workspace", "local", "--name", "lc-dash-absent"])
    # Then it exits 1 naming the dashboard and the endpoint
    err = capsys.readouterr().err
    assert code == 1
    assert "'lc-dash-absent'" in err
    assert emulator.endpoint in err


def test_the_cli_writes_the_page_and_prints_a_line_per_widget(
    rendered: Rendered, tmp_path: Any, capsys: pytest.CaptureFixture[str],
) -> None:
    out = tmp_path / "page.html"
    code = main(["dashboard", "--workspace", "local", "--name", "lc-dash", "--out", str(out)])
    printed = capsys.readouterr().out.splitlines()
    assert code == 0
    assert printed[0] == str(out)
    assert "  Nothing published: 0/1 series with data" in printed
    assert out.read_text().startswith("<!DOCTYPE html>")


def test_a_refused_get_metric_data_shows_the_error_on_each_series_instead_of_failing(emulator: Emulator) -> None:
    # Given a widget with a metric line and an expression line
    from localcloud.dashboard.body import parse
    from localcloud.dashboard.fetch import widget_series
    from localcloud.dashboard.model import MetricWidget

    widget = parse(json.dumps(_body())).widgets[1]
    assert isinstance(widget, MetricWidget)
    # When GetMetricData refuses the request (StartTime equal to EndTime is a ValidationError)
    series = widget_series(boto3.client("cloudwatch"), widget, NOW, NOW)
    # Then every visible series carries the service's error text, and no points
    assert [s.label for s in series] == ["Invocations lc-dash-fn", "error %"]
    assert all("StartTime must not equal" in s.message for s in series)
    assert [s.points for s in series] == [(), ()]

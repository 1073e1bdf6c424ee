"""The SVG chart of a metric widget: lines, axes, annotations, no data, escaping."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from localcloud.dashboard.fetch import Series
from localcloud.dashboard.model import Annotation, Axis
from localcloud.dashboard.svg import bounds, chart, fmt

START = datetime(2026, 1, 1, 9, 0, tzinfo=UTC)
END = START + timedelta(hours=3)
AXES = {"left": Axis(), "right": Axis()}


def _series(label: str, values: list[float], y_axis: str = "left") -> Series:
    return Series(label, y_axis, None, points=tuple((START + timedelta(minutes=5 * i), v) for i, v in enumerate(values)))


def test_tick_labels_are_short() -> None:
    assert [fmt(v) for v in (900_000, 12_500, 3, 0.25, 2_000_000)] == ["900k", "12.5k", "3", "0.25", "2M"]


def test_axis_bounds_include_zero_and_the_widget_bounds_win() -> None:
    assert bounds([5.0, 9.0], Axis()) == (0.0, 9.0)
    assert bounds([5.0, 900.0], Axis(min=0, max=100)) == (0.0, 100.0)


def test_one_polyline_per_series_with_points() -> None:
    svg = chart([_series("a", [1, 2, 3]), _series("b", [3, 2, 1])], (), AXES, start=START, end=END, width=600, height=200)
    assert svg.count("<polyline") == 2


def test_a_right_axis_series_gets_right_axis_ticks() -> None:
    svg = chart([_series("a", [1, 2]), _series("b", [500, 700], "right")], (), AXES, start=START, end=END,
                width=600, height=200)
    assert 'text-anchor="start">700</text>' in svg  # the right axis' max, right of the plot
    assert 'text-anchor="end">2</text>' in svg  # the left axis keeps its own scale


def test_without_points_the_chart_says_no_data() -> None:
    svg = chart([Series("a", "left", None)], (), AXES, start=START, end=END, width=600, height=200)
    assert ">no data</text>" in svg


def test_an_annotation_is_a_dashed_line_with_its_escaped_label() -> None:
    svg = chart([_series("a", [1, 2])], (Annotation(10, "SLA <15 min>"),), AXES, start=START, end=END,
                width=600, height=200)
    assert 'stroke-dasharray="4 3"' in svg
    assert "SLA &lt;15 min&gt;" in svg

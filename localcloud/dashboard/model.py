"""Typed widgets and queries of a CloudWatch dashboard body (what `body.parse` makes of the JSON).

Field names follow AWS's "Dashboard Body Structure and Syntax" page (CloudWatch API Reference):
a widget has `type`, `x`, `y`, `width`, `height` (a 24-column grid) and `properties`; a metric
widget's `metrics` array holds metric lines, math-expression lines and SEARCH lines.
"""

from __future__ import annotations

from dataclasses import dataclass, field

DEFAULT_PERIOD = 300  # AWS: the metric widget's `period` defaults to 300 seconds
DEFAULT_STAT = "Average"  # AWS: the metric widget's `stat` defaults to Average


@dataclass(frozen=True)
class Geometry:
    """A widget's place on the 24-column grid (AWS defaults: width 6, height 6)."""

    x: int = 0
    y: int = 0
    width: int = 6
    height: int = 6


@dataclass(frozen=True, kw_only=True)
class Line:
    """What every line of a `metrics` array shares (its options object)."""

    id: str | None = None
    label: str | None = None
    visible: bool = True
    y_axis: str = "left"  # "left" | "right"
    period: int | None = None  # None: the widget's period
    color: str | None = None


@dataclass(frozen=True, kw_only=True)
class MetricLine(Line):
    """`[namespace, metricName, dimName, dimValue, ..., {options}]`: one GetMetricData MetricStat query."""

    namespace: str
    metric: str
    dimensions: tuple[tuple[str, str], ...] = ()
    stat: str | None = None  # None: the widget's stat


@dataclass(frozen=True, kw_only=True)
class ExpressionLine(Line):
    """`[{"expression": "...", ...}]`: a metric math expression, evaluated by GetMetricData."""

    expression: str


@dataclass(frozen=True, kw_only=True)
class SearchLine(Line):
    """`SEARCH('{namespace} MetricName="X" OR ...', 'stat', period)`: resolved client-side (see `search`)."""

    expression: str
    namespace: str
    metric_names: tuple[str, ...]
    dimension_names: tuple[str, ...]  # the `{namespace,Dim1,Dim2}` schema: metrics with exactly these dimensions
    terms: tuple[str, ...]  # free terms: each must appear in a dimension value (or name)
    stat: str
    search_period: int | None  # None: the line's or the widget's period


@dataclass(frozen=True)
class Annotation:
    """A horizontal annotation: a line at `value` on one y-axis."""

    value: float
    label: str = ""
    y_axis: str = "left"
    color: str | None = None


@dataclass(frozen=True)
class Axis:
    """Fixed bounds of one y-axis (`yAxis.left` / `yAxis.right`); None: from the data."""

    min: float | None = None
    max: float | None = None
    label: str = ""


@dataclass(frozen=True, kw_only=True)
class Widget:
    """What every widget shares."""

    title: str
    geometry: Geometry
    notes: tuple[str, ...] = ()  # "not rendered: ..." for fields this renderer does not draw


@dataclass(frozen=True, kw_only=True)
class MetricWidget(Widget):
    """A `metric` widget drawn as a time series."""

    lines: tuple[Line, ...]
    period: int = DEFAULT_PERIOD
    stat: str = DEFAULT_STAT
    left: Axis = field(default_factory=Axis)
    right: Axis = field(default_factory=Axis)
    annotations: tuple[Annotation, ...] = ()


@dataclass(frozen=True, kw_only=True)
class AlarmWidget(Widget):
    """An `alarm` status widget: the alarms' ARNs."""

    alarms: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class TextWidget(Widget):
    """A `text` widget: its markdown, shown as plain text."""

    markdown: str


@dataclass(frozen=True, kw_only=True)
class UnsupportedWidget(Widget):
    """A widget this renderer does not draw; the page shows `why`."""

    why: str


@dataclass(frozen=True)
class Dashboard:
    """A parsed dashboard body."""

    widgets: tuple[Widget, ...]

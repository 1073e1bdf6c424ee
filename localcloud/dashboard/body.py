"""A CloudWatch dashboard body (JSON) → `Dashboard` of typed widgets.

AWS ("Dashboard Body Structure and Syntax"): `{"widgets": [...]}`; each widget has `type`, `x`, `y`,
`width` (default 6), `height` (default 6) and `properties`. A `metric` widget's properties:
`metrics`, `period` (default 300), `stat` (default Average), `view` (default timeSeries),
`yAxis.left/right.min/max`, `annotations.horizontal` (`value`, `label`, `yAxis`, `color`), `title`,
`region`. An `alarm` widget lists alarm ARNs in `alarms`. Whatever this renderer does not draw
(other widget types, views, fields) is kept as a note or an `UnsupportedWidget`: never dropped.
"""

from __future__ import annotations

import json
from typing import Any

from localcloud.dashboard.metric_array import LineError, parse_line, unknown_options
from localcloud.dashboard.model import (
    DEFAULT_PERIOD,
    DEFAULT_STAT,
    AlarmWidget,
    Annotation,
    Axis,
    Dashboard,
    Geometry,
    Line,
    MetricWidget,
    TextWidget,
    UnsupportedWidget,
    Widget,
)
from localcloud.dashboard.search import SearchError

METRIC_FIELDS = {"metrics", "period", "stat", "view", "yAxis", "annotations", "title", "region", "legend", "liveData"}
ALARM_FIELDS = {"alarms", "title", "region", "sortBy", "states"}


class BodyError(ValueError):
    """A dashboard body that is not a dashboard (not JSON, no `widgets` array)."""


def parse(body: str) -> Dashboard:
    """Every widget of `body`, in order."""
    try:
        doc = json.loads(body)
    except json.JSONDecodeError as error:
        raise BodyError(f"the dashboard body is not JSON: {error}") from error
    if not isinstance(doc, dict) or not isinstance(doc.get("widgets"), list):
        raise BodyError("the dashboard body has no `widgets` array")
    return Dashboard(widgets=tuple(parse_widget(w, n) for n, w in enumerate(doc["widgets"])))


def parse_widget(raw: Any, n: int) -> Widget:
    """One widget; one this renderer cannot draw becomes an `UnsupportedWidget` saying why."""
    if not isinstance(raw, dict):
        return UnsupportedWidget(title=f"widget {n}", geometry=Geometry(), why=f"not a widget object: {raw!r}")
    geometry = Geometry(*(int(raw.get(k, d)) for k, d in (("x", 0), ("y", 0), ("width", 6), ("height", 6))))
    props = raw.get("properties") or {}
    title = str(props.get("title", "")) if isinstance(props, dict) else ""
    kind = raw.get("type")
    if kind == "metric" and props.get("view", "timeSeries") == "timeSeries":
        return _metric(props, title, geometry)
    if kind == "metric":
        return UnsupportedWidget(title=title, geometry=geometry, why=f"metric view {props.get('view')!r} (only timeSeries)")
    if kind == "alarm":
        return AlarmWidget(title=title or "Alarms", geometry=geometry, alarms=tuple(map(str, props.get("alarms", []))),
                           notes=_extra(props, ALARM_FIELDS))
    if kind == "text":
        return TextWidget(title=title, geometry=geometry, markdown=str(props.get("markdown", "")),
                          notes=("markdown shown as plain text",))
    return UnsupportedWidget(title=title, geometry=geometry, why=f"widget type {kind!r}")


def _extra(props: dict[str, Any], known: set[str]) -> tuple[str, ...]:
    return tuple(f"not rendered: property {key!r}" for key in sorted(set(props) - known))


def _metric(props: dict[str, Any], title: str, geometry: Geometry) -> MetricWidget:
    lines: list[Line] = []
    notes = list(_extra(props, METRIC_FIELDS))
    previous: list[str] | None = None
    for i, raw in enumerate(props.get("metrics", [])):
        try:
            line, previous = parse_line(raw, previous)
        except (LineError, SearchError) as error:
            notes.append(f"not rendered: metrics[{i}]: {error}")
            continue
        lines.append(line)
        options = raw[-1] if isinstance(raw[-1], dict) else {}
        notes += [f"not rendered: metrics[{i}] option {key!r}" for key in unknown_options(options)]
    annotations, more = _annotations(props.get("annotations") or {})
    y_axis = props.get("yAxis") or {}
    return MetricWidget(title=title, geometry=geometry, lines=tuple(lines), notes=tuple(notes + more),
                        period=int(props.get("period", DEFAULT_PERIOD)), stat=str(props.get("stat", DEFAULT_STAT)),
                        left=_axis(y_axis.get("left") or {}), right=_axis(y_axis.get("right") or {}),
                        annotations=annotations)


def _axis(raw: dict[str, Any]) -> Axis:
    def bound(key: str) -> float | None:
        return float(raw[key]) if isinstance(raw.get(key), int | float) else None

    return Axis(min=bound("min"), max=bound("max"), label=str(raw.get("label", "")))


def _annotations(raw: dict[str, Any]) -> tuple[tuple[Annotation, ...], list[str]]:
    """The horizontal annotations drawn as lines; bands, vertical annotations → notes."""
    out: list[Annotation] = []
    notes = [f"not rendered: annotations.{key}" for key in sorted(set(raw) - {"horizontal"})]
    for item in raw.get("horizontal", []):
        if not isinstance(item, dict) or not isinstance(item.get("value"), int | float):
            notes.append(f"not rendered: horizontal annotation {item!r} (bands are not drawn)")
        elif item.get("visible", True) is not False:
            out.append(Annotation(value=float(item["value"]), label=str(item.get("label", "")),
                                  y_axis="right" if item.get("yAxis") == "right" else "left", color=item.get("color")))
    return tuple(out), notes

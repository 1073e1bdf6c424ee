"""One line of a metric widget's `metrics` array → a typed `Line`.

AWS ("Dashboard Body Structure and Syntax", "Metric Widget: Format for Each Metric in the Array"):
a line is `[Namespace, MetricName, DimensionName, DimensionValue, ..., {rendering properties}]`, or
`[{"expression": ..., "id": ..., "label": ...}]` for metric math. The rendering properties object
takes `color`, `label`, `period`, `stat`, `visible` (default true), `yAxis` ("left"/"right") and `id`.

Shorthand, as the CloudWatch console writes it when it saves a body: `"."` at a position repeats the
value at the same position of the previous metric line; a leading `"..."` repeats the previous
line's values except as many trailing ones as follow it (`["...", "fn-b"]` after
`["AWS/Lambda", "Errors", "FunctionName", "fn-a"]` is `FunctionName=fn-b`).
"""

from __future__ import annotations

import re
from typing import Any

from localcloud.dashboard.model import ExpressionLine, Line, MetricLine, SearchLine
from localcloud.dashboard.search import parse_search

OPTIONS = {"id", "label", "visible", "yAxis", "period", "stat", "color", "expression"}
# Options that change nothing in a single-account, single-region picture.
IGNORED = {"region", "accountId"}


class LineError(ValueError):
    """A line of a `metrics` array this renderer cannot read (the widget shows why)."""


def expand(values: list[Any], previous: list[str] | None) -> list[str]:
    """The positional values of a metric line with the `"..."` / `"."` shorthand expanded."""
    if values and values[0] == "...":
        rest = values[1:]
        if previous is None or len(rest) > len(previous):
            raise LineError(f"'...' needs a previous metric line with at least {len(rest)} values: {values}")
        values = previous[: len(previous) - len(rest)] + rest
    out: list[str] = []
    for i, value in enumerate(values):
        if value == ".":
            if previous is None or i >= len(previous):
                raise LineError(f"'.' at position {i} has no value at that position in a previous metric line")
            value = previous[i]
        if not isinstance(value, str):
            raise LineError(f"metric line values must be strings, got {value!r} at position {i}")
        out.append(value)
    return out


def _common(options: dict[str, Any]) -> dict[str, Any]:
    """The `Line` fields from a rendering properties object."""
    period = options.get("period")
    y_axis = options.get("yAxis", "left")
    if y_axis not in ("left", "right"):
        raise LineError(f"yAxis must be 'left' or 'right', got {y_axis!r}")
    if period is not None and (not isinstance(period, int) or period <= 0):
        raise LineError(f"period must be a positive integer of seconds, got {period!r}")
    return {"id": options.get("id"), "label": options.get("label"), "visible": options.get("visible", True) is not False,
            "y_axis": y_axis, "period": period, "color": options.get("color")}


def unknown_options(options: dict[str, Any]) -> list[str]:
    """Options of a line this renderer does not draw."""
    return sorted(set(options) - OPTIONS - IGNORED)


def parse_line(raw: Any, previous: list[str] | None) -> tuple[Line, list[str] | None]:
    """`raw` as a `Line`, and the positional values a following shorthand line refers to."""
    if not isinstance(raw, list) or not raw:
        raise LineError(f"a metrics entry must be a non-empty array, got {raw!r}")
    options: dict[str, Any] = raw[-1] if isinstance(raw[-1], dict) else {}
    values = raw[:-1] if options is raw[-1] else raw
    if "expression" in options:
        if values:
            raise LineError(f"an expression line has only its options object, got extra values {values}")
        expression = str(options["expression"])
        if re.match(r"\s*SEARCH\s*\(", expression):
            return parse_search(expression, **_common(options)), previous
        return ExpressionLine(expression=expression, **_common(options)), previous
    positional = expand(values, previous)
    if len(positional) < 2 or len(positional) % 2:
        raise LineError(f"a metric line is namespace, metric name, then name/value pairs: {positional}")
    dims = tuple(zip(positional[2::2], positional[3::2], strict=True))
    stat = options.get("stat")
    line = MetricLine(namespace=positional[0], metric=positional[1], dimensions=dims,
                      stat=str(stat) if stat is not None else None, **_common(options))
    return line, positional


def describe(line: Line) -> str:
    """A default legend label (AWS shows the metric name and dimension values when no label is set)."""
    if line.label:
        return line.label
    if isinstance(line, MetricLine):
        return " ".join([line.metric, *(value for _, value in line.dimensions)])
    if isinstance(line, ExpressionLine | SearchLine):
        return line.expression
    return line.id or "?"

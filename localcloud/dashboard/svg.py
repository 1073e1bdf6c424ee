"""An inline SVG line chart of a metric widget: one polyline per series, left and right y-axes.

Each y-axis shows its min and max; the time axis its start and end (UTC). Horizontal annotations
are dashed lines on their axis. Bounds come from `yAxis.<side>.min/max` when the widget sets them,
else from the data and annotations (the axis includes 0). Every text is escaped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from html import escape

from localcloud.dashboard.fetch import Series
from localcloud.dashboard.model import Annotation, Axis

PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22",
           "#17becf")
_HEX = re.compile(r"#[0-9a-fA-F]{3,8}")
PAD_TOP, PAD_BOTTOM, PAD_SIDE, PAD_NONE = 10, 22, 56, 12


def color_of(series: Series, index: int) -> str:
    """The series' own `color` when it is a hex color, else the palette's."""
    return series.color if series.color and _HEX.fullmatch(series.color) else PALETTE[index % len(PALETTE)]


def fmt(value: float) -> str:
    """A short tick label: 1.5M, 12k, 3, 0.25."""
    for threshold, size, suffix in ((1e9, 1e9, "G"), (1e6, 1e6, "M"), (1e4, 1e3, "k")):
        if abs(value) >= threshold:
            return f"{value / size:.3g}{suffix}"
    return str(int(value)) if value == int(value) else f"{value:.3g}"


def bounds(values: Sequence[float], axis: Axis) -> tuple[float, float]:
    """The axis' (min, max): the widget's fixed bounds, else the data's, including 0."""
    low = axis.min if axis.min is not None else min([0.0, *values])
    high = axis.max if axis.max is not None else max([0.0, *values])
    if high <= low:
        high = low + 1.0
    return low, high


def _values(series: Sequence[Series], annotations: Sequence[Annotation], side: str) -> list[float]:
    return [v for s in series if s.y_axis == side for _, v in s.points] + [a.value for a in annotations
                                                                           if a.y_axis == side]


def chart(series: Sequence[Series], annotations: Sequence[Annotation], axes: dict[str, Axis], *,
          start: datetime, end: datetime, width: int, height: int) -> str:
    """The `<svg>` of one chart, `width` x `height` pixels."""
    has_right = any(s.y_axis == "right" for s in series) or any(a.y_axis == "right" for a in annotations)
    left_x, right_x = PAD_SIDE, width - (PAD_SIDE if has_right else PAD_NONE)
    top_y, bottom_y = PAD_TOP, height - PAD_BOTTOM
    span = max((end - start).total_seconds(), 1.0)
    scales = {side: bounds(_values(series, annotations, side), axes[side]) for side in ("left", "right")}

    def x_of(when: datetime) -> float:
        return left_x + (right_x - left_x) * (when - start).total_seconds() / span

    def y_of(value: float, side: str) -> float:
        low, high = scales[side]
        clamped = min(max(value, low), high)
        return bottom_y - (bottom_y - top_y) * (clamped - low) / (high - low)

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="10">',
             f'<rect x="{left_x}" y="{top_y}" width="{right_x - left_x}" height="{bottom_y - top_y}" '
             'fill="#fff" stroke="#ccc"/>']
    for side, x, anchor in (("left", left_x - 4, "end"), ("right", right_x + 4, "start")):
        if side == "left" or has_right:
            low, high = scales[side]
            parts += [f'<text x="{x}" y="{bottom_y}" text-anchor="{anchor}">{escape(fmt(low))}</text>',
                      f'<text x="{x}" y="{top_y + 8}" text-anchor="{anchor}">{escape(fmt(high))}</text>']
    parts += [f'<text x="{left_x}" y="{height - 6}" text-anchor="start">{escape(f"{start:%H:%M} UTC")}</text>',
              f'<text x="{right_x}" y="{height - 6}" text-anchor="end">{escape(f"{end:%H:%M} UTC")}</text>']
    for annotation in annotations:
        y = y_of(annotation.value, annotation.y_axis)
        stroke = annotation.color if annotation.color and _HEX.fullmatch(annotation.color) else "#d62728"
        parts += [f'<line x1="{left_x}" x2="{right_x}" y1="{y:.1f}" y2="{y:.1f}" stroke="{stroke}" stroke-dasharray="4 3"/>',
                  f'<text x="{right_x - 2}" y="{y - 3:.1f}" text-anchor="end" fill="{stroke}">'
                  f'{escape(annotation.label or fmt(annotation.value))}</text>']
    for index, line in enumerate(series):
        color = color_of(line, index)
        coords = [(x_of(t), y_of(v, line.y_axis)) for t, v in line.points]
        if len(coords) == 1:
            parts.append(f'<circle cx="{coords[0][0]:.1f}" cy="{coords[0][1]:.1f}" r="2.5" fill="{color}"/>')
        elif coords:
            text = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
            parts.append(f'<polyline fill="none" stroke="{color}" stroke-width="1.5" points="{text}"/>')
    if not any(line.points for line in series):
        parts.append(f'<text x="{(left_x + right_x) / 2:.0f}" y="{(top_y + bottom_y) / 2:.0f}" text-anchor="middle" '
                     'font-size="14" fill="#888">no data</text>')
    parts.append("</svg>")
    return "".join(parts)

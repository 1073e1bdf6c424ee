"""The HTML page: the dashboard's widgets placed on CloudWatch's 24-column grid, no scripts, no assets.

Each widget is an absolutely placed box at (x, y) with its width and height in grid units; a metric
widget holds its SVG chart and a legend (label, number of points, or "no data" / the error), an
alarm widget a table, a widget that is not drawn says "not rendered: <why>". Every text is escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from html import escape

from localcloud.dashboard.alarms import AlarmRow
from localcloud.dashboard.fetch import Series
from localcloud.dashboard.model import AlarmWidget, MetricWidget, TextWidget, UnsupportedWidget, Widget
from localcloud.dashboard.svg import chart, color_of

COL, ROW, GAP = 56, 44, 8  # pixels per grid column, per grid row; space between widgets
TITLE, LINE = 22, 15  # pixels of a widget title, of one legend or note line
STYLE = """body{font-family:sans-serif;margin:16px;color:#222}h1{font-size:20px;margin:0}
.range{color:#555;margin:4px 0 12px}.grid{position:relative}
.w{position:absolute;box-sizing:border-box;border:1px solid #ddd;background:#fafafa;padding:4px 6px;overflow:hidden}
.w h2{font-size:13px;margin:0 0 4px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.legend,.note{font-size:11px;line-height:15px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.note{color:#a15c00}.sw{display:inline-block;width:10px;height:3px;vertical-align:middle;margin-right:4px}
.empty{color:#888}table{border-collapse:collapse;font-size:11px;width:100%}
td,th{border-bottom:1px solid #e3e3e3;padding:2px 4px;text-align:left}.ALARM{color:#d62728;font-weight:bold}
.OK{color:#2ca02c}.nr{color:#a15c00;font-size:13px;padding:12px}"""


@dataclass(frozen=True)
class View:
    """A widget with what was fetched for it."""

    widget: Widget
    series: tuple[Series, ...] = ()
    alarms: tuple[AlarmRow, ...] = ()


def _legend(series: Sequence[Series]) -> list[str]:
    out = []
    for index, line in enumerate(series):
        count = f"{len(line.points)} points" if line.points else "no data"
        detail = f" — {line.message}" if line.message else ""
        side = " (right)" if line.y_axis == "right" else ""
        out.append(f'<div class="legend{"" if line.points else " empty"}"><span class="sw" '
                   f'style="background:{color_of(line, index)}"></span>{escape(line.label + side)}: '
                   f"{escape(count + detail)}</div>")
    return out


def _metric(view: View, widget: MetricWidget, box: tuple[int, int], start: datetime, end: datetime) -> str:
    notes = [f'<div class="note">{escape(n)}</div>' for n in widget.notes]
    legend = _legend(view.series) or ['<div class="legend empty">no data: the widget has no visible line</div>']
    height = max(box[1] - TITLE - LINE * (len(legend) + len(notes)) - 10, 60)
    svg = chart(view.series, widget.annotations, {"left": widget.left, "right": widget.right},
                start=start, end=end, width=box[0] - 14, height=height)
    return svg + "".join(legend + notes)


def _alarms(view: View) -> str:
    rows = "".join(f'<tr><td>{escape(r.name)}</td><td class="{escape(r.state)}">{escape(r.state)}</td>'
                   f"<td>{escape(r.reason)}</td><td>{escape(f'{r.updated:%Y-%m-%d %H:%M:%S %Z}' if r.updated else '')}"
                   "</td></tr>" for r in view.alarms)
    body = rows or '<tr><td colspan="4" class="empty">no alarms listed</td></tr>'
    return f"<table><tr><th>alarm</th><th>state</th><th>reason</th><th>updated</th></tr>{body}</table>"


def _content(view: View, box: tuple[int, int], start: datetime, end: datetime) -> str:
    widget = view.widget
    if isinstance(widget, MetricWidget):
        return _metric(view, widget, box, start, end)
    notes = "".join(f'<div class="note">{escape(n)}</div>' for n in widget.notes)
    if isinstance(widget, AlarmWidget):
        return _alarms(view) + notes
    if isinstance(widget, TextWidget):
        return f"<pre>{escape(widget.markdown)}</pre>{notes}"
    why = widget.why if isinstance(widget, UnsupportedWidget) else type(widget).__name__
    return f'<div class="nr">not rendered: {escape(why)}</div>{notes}'


def html_page(name: str, start: datetime, end: datetime, views: Sequence[View]) -> str:
    """The whole self-contained page."""
    boxes = []
    for view in views:
        g = view.widget.geometry
        box = (g.width * COL - GAP, g.height * ROW - GAP)
        boxes.append(f'<div class="w" style="left:{g.x * COL}px;top:{g.y * ROW}px;width:{box[0]}px;height:{box[1]}px">'
                     f"<h2>{escape(view.widget.title or '(untitled)')}</h2>{_content(view, box, start, end)}</div>")
    rows = max((v.widget.geometry.y + v.widget.geometry.height for v in views), default=1)
    when = f"{start:%Y-%m-%d %H:%M} UTC to {end:%Y-%m-%d %H:%M} UTC"
    return ("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
            f"<title>{escape(name)}</title><style>{STYLE}</style></head><body>"
            f'<h1>{escape(name)}</h1><div class="range">{escape(when)}</div>'
            f'<div class="grid" style="width:{24 * COL}px;height:{rows * ROW}px">{"".join(boxes)}</div>'
            "</body></html>\n")

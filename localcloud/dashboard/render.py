"""`render(client, name, start=, end=)`: a dashboard → self-contained HTML plus what each widget showed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from botocore.exceptions import ClientError

from localcloud.dashboard.alarms import AlarmRow, alarm_rows
from localcloud.dashboard.body import parse
from localcloud.dashboard.fetch import CloudWatchClient, widget_series
from localcloud.dashboard.model import AlarmWidget, MetricWidget, UnsupportedWidget, Widget
from localcloud.dashboard.page import View, html_page

DEFAULT_HOURS = 3
# AWS: GetDashboard answers ResourceNotFound (shape DashboardNotFoundError) for an unknown name.
NOT_FOUND = ("ResourceNotFound", "DashboardNotFoundError", "ResourceNotFoundException")


class DashboardMissing(LookupError):
    """GetDashboard does not know the dashboard."""


@dataclass(frozen=True)
class SeriesSummary:
    """One visible series: its label, how many datapoints it had, the service's message if any."""

    label: str
    datapoints: int
    message: str = ""


@dataclass(frozen=True)
class WidgetSummary:
    """What one widget showed."""

    title: str
    kind: str  # metric | alarm | text | unsupported
    series: tuple[SeriesSummary, ...] = ()
    alarms: tuple[AlarmRow, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def with_data(self) -> int:
        """How many series have at least one datapoint."""
        return sum(1 for s in self.series if s.datapoints)

    def line(self) -> str:
        """One line for a terminal: `<title>: 2/3 series with data`."""
        if self.kind == "metric":
            return f"{self.title}: {self.with_data}/{len(self.series)} series with data"
        if self.kind == "alarm":
            found = sum(1 for a in self.alarms if a.updated is not None)
            states = ", ".join(f"{a.name}={a.state}" for a in self.alarms if a.state == "ALARM")
            return f"{self.title}: {found}/{len(self.alarms)} alarms found" + (f"; in ALARM: {states}" if states else "")
        return f"{self.title}: {'; '.join(self.notes) or self.kind}"


@dataclass(frozen=True)
class Rendered:
    """The page and, per widget, what it showed (for a test: every widget has data)."""

    name: str
    start: datetime
    end: datetime
    html: str
    widgets: tuple[WidgetSummary, ...]


def time_range(start: datetime | None, end: datetime | None) -> tuple[datetime, datetime]:
    """`start`/`end` in UTC; default: the last 3 hours up to now."""
    end = (end or datetime.now(UTC)).astimezone(UTC)
    start = (start or end - timedelta(hours=DEFAULT_HOURS)).astimezone(UTC)
    if start >= end:
        raise ValueError(f"start {start.isoformat()} must be before end {end.isoformat()}")
    return start, end


def _view(client: CloudWatchClient, widget: Widget, start: datetime, end: datetime) -> View:
    if isinstance(widget, MetricWidget):
        return View(widget, series=tuple(widget_series(client, widget, start, end)))
    if isinstance(widget, AlarmWidget):
        return View(widget, alarms=tuple(alarm_rows(client, widget.alarms)))
    return View(widget)


def _summary(view: View) -> WidgetSummary:
    widget = view.widget
    kind = {MetricWidget: "metric", AlarmWidget: "alarm", UnsupportedWidget: "unsupported"}.get(type(widget), "text")
    notes = (f"not rendered: {widget.why}",) if isinstance(widget, UnsupportedWidget) else widget.notes
    return WidgetSummary(title=widget.title, kind=kind, alarms=view.alarms, notes=notes,
                         series=tuple(SeriesSummary(s.label, len(s.points), s.message) for s in view.series))


def render(client: CloudWatchClient, dashboard_name: str, *, start: datetime | None = None,
           end: datetime | None = None) -> Rendered:
    """Read `dashboard_name` (GetDashboard), fetch every widget's data, draw the page."""
    start, end = time_range(start, end)
    try:
        body = client.get_dashboard(DashboardName=dashboard_name)["DashboardBody"]
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") in NOT_FOUND:
            raise DashboardMissing(f"dashboard {dashboard_name!r} does not exist") from error
        raise
    views = [_view(client, widget, start, end) for widget in parse(body).widgets]
    return Rendered(name=dashboard_name, start=start, end=end, html=html_page(dashboard_name, start, end, views),
                    widgets=tuple(_summary(v) for v in views))

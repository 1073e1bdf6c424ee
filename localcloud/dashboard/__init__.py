"""Render a CloudWatch dashboard to one static HTML file (inline SVG, no JavaScript) from GetMetricData.

`render(client, name, start=..., end=...)` reads the dashboard with GetDashboard, parses its body
(`body`), fetches each widget's data (`fetch`, `search`) and draws the page (`svg`, `page`).
"""

from localcloud.dashboard.render import DashboardMissing, Rendered, SeriesSummary, WidgetSummary, render

__all__ = ["DashboardMissing", "Rendered", "SeriesSummary", "WidgetSummary", "render"]

"""The dashboard renders from the metrics the pipeline produced: after the demo's files and API calls, every widget
shows data, except those whose metrics AWS publishes only when the failure they count happens."""

from __future__ import annotations

from datetime import UTC, datetime

import boto3
import pytest

from localcloud.dashboard import Rendered, render
from localcloud.demo import call_api, push_files
from localcloud.demo_report import Report
from localcloud.observed import wait_for_scheduled_runs
from localcloud.scenario import Pipeline
from stacks.naming import Namer
from stacks.observability.dashboard_name import dashboard_name

pytestmark = pytest.mark.e2e

# Widgets whose every metric counts an event the demo does not cause (and AWS publishes no zeros for).
ONLY_ON_FAILURE = {
    "State machine failures": "ExecutionsFailed/TimedOut/Throttled/Aborted exist only once an execution ends so",
    "DynamoDB throttle events": "the emulator never throttles (README: what the emulator cannot show)",
}


@pytest.fixture(scope="module")
def rendered(pipeline: Pipeline) -> Rendered:
    """Given the demo's files and API calls pushed through, and each schedule run since; When the dashboard renders."""
    since = datetime.now(UTC)
    report = Report()
    push_files(pipeline, report)
    call_api(pipeline, report)
    wait_for_scheduled_runs(since)
    return render(boto3.client("cloudwatch"), dashboard_name(Namer(workspace="local")))


def _with_data(rendered: Rendered) -> dict[str, bool]:
    return {w.title: any(s.datapoints for s in w.series) for w in rendered.widgets if w.kind == "metric"}


def test_every_metric_widget_has_data_but_those_counting_failures_that_did_not_happen(rendered: Rendered) -> None:
    # (whether the failure widgets have data depends on what else this session broke: not asserted)
    empty = sorted(title for title, has_data in _with_data(rendered).items() if not has_data)
    assert [title for title in empty if title not in ONLY_ON_FAILURE] == [], empty


def test_the_failure_widgets_are_widgets_of_the_dashboard(rendered: Rendered) -> None:
    assert set(ONLY_ON_FAILURE) <= set(_with_data(rendered)), sorted(_with_data(rendered))


def test_the_alarm_widget_lists_every_alarm_with_its_state(rendered: Rendered) -> None:
    alarms = next(w for w in rendered.widgets if w.kind == "alarm")
    assert alarms.alarms and all(row.state in ("OK", "ALARM", "INSUFFICIENT_DATA") for row in alarms.alarms), alarms


def test_the_page_is_one_self_contained_html_file(rendered: Rendered) -> None:
    # no script, no stylesheet or image fetched from anywhere: the charts are inline SVG
    assert ("<svg" in rendered.html, [tag for tag in ("<script", "<link", " src=") if tag in rendered.html]) == (True, [])

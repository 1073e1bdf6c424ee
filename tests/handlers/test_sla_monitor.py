"""sla_monitor against moto: counts open files older than 15 minutes and publishes FilesOverdue."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import boto3
import pytest

from stacks.storage.stack import FILES
from tests.fake_aws import create_table
from tests.handlers.conftest import FakeContext
from txnpipe.layout import STATUS_INDEX
from txnpipe.sla import overdue


def stamp(minutes_ago: float) -> str:
    return (datetime.now(UTC) - timedelta(minutes=minutes_ago)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def test_overdue_counts_only_files_older_than_the_sla() -> None:
    # Given files received just over, exactly at and well within 15 minutes ago, Then one is overdue
    now = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
    assert overdue(["2026-11-25T11:44:59.000000Z", "2026-11-25T11:45:00.000000Z", "2026-11-25T11:59:00Z"],
                   now=now) == 1


@pytest.fixture
def files(aws: None, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    for key, value in {"FILES_TABLE": "files", "STATUS_INDEX": STATUS_INDEX,
                       "METRICS_NAMESPACE": "txnpipe", "WORKSPACE": "test"}.items():
        monkeypatch.setenv(key, value)
    return create_table(FILES)


def test_stuck_files_are_published_as_overdue_and_finished_ones_are_not(files) -> None:  # type: ignore[no-untyped-def]
    from sla_monitor.handler import handler

    # Given a stuck PROCESSING file, a stuck RECEIVED one, a fresh one and an old COMPLETED one
    for file_id, status, age in (("a", "PROCESSING", 40), ("b", "RECEIVED", 16), ("c", "VALIDATING", 2),
                                 ("d", "COMPLETED", 600)):
        files.put_item(Item={"file_id": file_id, "status": status, "received_at": stamp(age), "updated_at": stamp(age)})
    # When the check runs
    result = handler({}, FakeContext())  # type: ignore[arg-type]
    # Then two files are overdue and the metric says so
    assert result["overdue"] == 2
    assert result["by_status"] == {"RECEIVED": 1, "VALIDATING": 0, "PROCESSING": 1}
    metrics = boto3.client("cloudwatch").list_metrics(Namespace="txnpipe", MetricName="FilesOverdue")["Metrics"]
    assert metrics[0]["Dimensions"] == [{"Name": "Workspace", "Value": "test"}]

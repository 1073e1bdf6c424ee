"""The observability stack really applies: terraform apply against an in-process moto server.

The stack reads nothing from other stacks (names are plain, the account comes from its own
`aws_caller_identity`), so it applies on its own once the functions' log groups exist.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest

from tests.security.tfjson import Stacks
from tests.synth import Synth
from tests.tf import terraform, terraform_env

pytestmark = pytest.mark.terraform


@pytest.fixture
def moto_endpoint() -> Iterator[str]:
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


def test_observability_applies_and_creates_every_alarm_filter_and_the_dashboard(
    local: Synth, moto_endpoint: str, tmp_path: Path,
) -> None:
    stacks = Stacks.of(local)
    workdir = tmp_path / "observability"
    shutil.copytree(local.stack_dir("observability"), workdir)
    doc = json.loads((workdir / "cdk.tf.json").read_text())
    (provider,) = doc["provider"]["aws"]
    provider["endpoints"] = [{k: moto_endpoint for k in provider["endpoints"][0]}]
    provider.update(access_key="testing", secret_key="testing")
    doc["terraform"]["backend"] = {"local": {"path": str(tmp_path / "state.tfstate")}}
    (workdir / "cdk.tf.json").write_text(json.dumps(doc))

    creds = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing", "region_name": "us-east-1"}
    logs = boto3.client("logs", endpoint_url=moto_endpoint, **creds)
    for concern, _, _, body in stacks.resources("aws_cloudwatch_log_group"):
        logs.create_log_group(logGroupName=stacks.resolve(concern, body["name"]))

    env = terraform_env(tmp_path)
    terraform(["init", "-input=false"], cwd=workdir, env=env)
    terraform(["apply", "-auto-approve", "-input=false"], cwd=workdir, env=env, timeout=900)

    cloudwatch = boto3.client("cloudwatch", endpoint_url=moto_endpoint, **creds)
    alarms = cloudwatch.describe_alarms(MaxRecords=100)["MetricAlarms"]
    expected = doc["resource"]["aws_cloudwatch_metric_alarm"]
    assert len(alarms) == len(expected)
    topic = "arn:aws:sns:us-east-1:123456789012:txnpipe-alerts-local"
    assert all(a["AlarmActions"] == [topic] and a["OKActions"] == [topic] for a in alarms)
    filters = logs.describe_metric_filters()["metricFilters"]
    assert len(filters) == len(doc["resource"]["aws_cloudwatch_log_metric_filter"])
    (dashboard,) = cloudwatch.list_dashboards()["DashboardEntries"]
    body = json.loads(cloudwatch.get_dashboard(DashboardName=dashboard["DashboardName"])["DashboardBody"])
    assert any(w["type"] == "alarm" for w in body["widgets"])

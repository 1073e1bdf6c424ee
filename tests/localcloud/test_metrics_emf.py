"""Embedded metric format documents become datapoints as CloudWatch Logs extracts them (pure: no emulator)."""

from __future__ import annotations

import datetime
import json

import pytest
from aws_lambda_powertools import Metrics
from aws_lambda_powertools.metrics import MetricUnit

from localcloud.metrics.emf import InvalidEmf, extract, parse


def powertools_line() -> str:
    """One EMF line exactly as Powertools for AWS Lambda writes it (a count, and two latency values)."""
    metrics = Metrics(namespace="lc-emf-test", service="ingest")
    metrics.clear_metrics()  # Powertools keeps one metric set per process
    metrics.add_metric(name="Processed", unit=MetricUnit.Count, value=3)
    metrics.add_metric(name="Latency", unit=MetricUnit.Milliseconds, value=5)
    metrics.add_metric(name="Latency", unit=MetricUnit.Milliseconds, value=7)
    line = json.dumps(metrics.serialize_metric_set())
    metrics.clear_metrics()
    return line


def test_a_powertools_line_yields_each_metric_in_its_namespace() -> None:
    extracted = parse(powertools_line())
    assert [(m.namespace, m.datum.name) for m in extracted] == [("lc-emf-test", "Processed"), ("lc-emf-test", "Latency")]


def test_a_powertools_metric_carries_its_unit_values_and_service_dimension() -> None:
    latency = parse(powertools_line())[1].datum
    assert (latency.unit, latency.value, dict(latency.dimensions)) == ("Milliseconds", [5.0, 7.0], {"service": "ingest"})


def test_the_datapoint_is_stamped_with_the_documents_timestamp() -> None:
    document = json.loads(powertools_line())
    stamp = parse(json.dumps(document))[0].datum.timestamp
    expected = datetime.datetime.fromtimestamp(document["_aws"]["Timestamp"] / 1000, tz=datetime.UTC).replace(tzinfo=None)
    assert stamp == expected


def test_each_dimension_set_gets_its_own_datapoint() -> None:
    document = {"_aws": {"Timestamp": 1_700_000_000_000, "CloudWatchMetrics": [
        {"Namespace": "App", "Dimensions": [["fn"], ["fn", "stage"], []], "Metrics": [{"Name": "Rows"}]}]},
        "fn": "ingest", "stage": "dev", "Rows": 10}
    assert [dict(m.datum.dimensions) for m in parse(json.dumps(document))] == [
        {"fn": "ingest"}, {"fn": "ingest", "stage": "dev"}, {}]


def test_a_plain_log_line_is_not_emf() -> None:
    assert parse("START RequestId: 1 Version: $LATEST") == []


def test_a_json_line_without_aws_metadata_is_not_emf() -> None:
    assert parse(json.dumps({"level": "INFO", "Rows": 3})) == []


@pytest.mark.parametrize("broken", [
    {"_aws": {"CloudWatchMetrics": [{"Namespace": "A", "Dimensions": [[]], "Metrics": [{"Name": "m"}]}]}, "m": 1},
    {"_aws": {"Timestamp": 1, "CloudWatchMetrics": [{"Dimensions": [[]], "Metrics": [{"Name": "m"}]}]}, "m": 1},
    {"_aws": {"Timestamp": 1, "CloudWatchMetrics": [{"Namespace": "A", "Dimensions": [["d"]], "Metrics": [{"Name": "m"}]}]},
     "m": 1},
    {"_aws": {"Timestamp": 1, "CloudWatchMetrics": [{"Namespace": "A", "Dimensions": [[]], "Metrics": [{"Name": "m"}]}]},
     "m": "seven"},
    {"_aws": {"Timestamp": 1, "CloudWatchMetrics": [
        {"Namespace": "A", "Dimensions": [[]], "Metrics": [{"Name": "m", "Unit": "Parsecs"}]}]}, "m": 1},
])
def test_invalid_emf_is_refused_by_the_parser(broken: dict[str, object]) -> None:
    with pytest.raises(InvalidEmf):
        parse(json.dumps(broken))


def test_invalid_emf_yields_no_metric_as_aws_drops_it() -> None:
    assert extract(json.dumps({"_aws": {"Timestamp": 1}, "m": 1})) == []

"""Log events become metrics in the emulator: metric filters and embedded metric format, as CloudWatch Logs does."""

from __future__ import annotations

import json
import time

import boto3
import pytest
from botocore.exceptions import ClientError

from localcloud.emulator import Emulator
from stacks.observability.alarms import ERROR_LINE_PATTERN
from tests.localcloud.helpers import function
from tests.localcloud.metric_helpers import eventually, statistic
from tests.localcloud.test_metrics_emf import powertools_line


def _group(name: str) -> str:
    logs = boto3.client("logs")
    logs.create_log_group(logGroupName=name)
    logs.create_log_stream(logGroupName=name, logStreamName="s")
    return name


def _put(group: str, *messages: str) -> None:
    now = int(time.time() * 1000)
    boto3.client("logs").put_log_events(logGroupName=group, logStreamName="s", logEvents=[
        {"timestamp": now + i, "message": m} for i, m in enumerate(messages)])


def test_a_metric_filter_counts_the_matching_events(emulator: Emulator) -> None:
    # Given the stacks' error-line filter on a log group
    group = _group("/aws/lambda/lc-metrics-filtered")
    boto3.client("logs").put_metric_filter(
        logGroupName=group, filterName="errors", filterPattern=ERROR_LINE_PATTERN, metricTransformations=[
            {"metricName": "lc-error-lines", "metricNamespace": "lc-metrics", "metricValue": "1", "defaultValue": 0,
             "unit": "Count"}])
    # When 2 of 3 events match, Then the metric's sum is 2
    _put(group, "[ERROR] boom", "[INFO] fine", '{"level": "CRITICAL"}')
    assert statistic("lc-metrics", "lc-error-lines", {}) == 2


def test_a_metric_filter_replaces_the_one_of_the_same_name(emulator: Emulator) -> None:
    group = _group("/aws/lambda/lc-metrics-replaced")
    logs = boto3.client("logs")
    for pattern in ("ERROR", "CRITICAL"):
        logs.put_metric_filter(logGroupName=group, filterName="errors", filterPattern=pattern, metricTransformations=[
            {"metricName": "lc-replaced", "metricNamespace": "lc-metrics", "metricValue": "1"}])
    assert [f["filterPattern"] for f in logs.describe_metric_filters(logGroupName=group)["metricFilters"]] == ["CRITICAL"]


def test_a_pattern_the_emulator_cannot_evaluate_is_refused_naming_it(emulator: Emulator) -> None:
    group = _group("/aws/lambda/lc-metrics-refused")
    with pytest.raises(ClientError) as refused:
        boto3.client("logs").put_metric_filter(
            logGroupName=group, filterName="delimited", filterPattern="[ip, user, status = 500]",
            metricTransformations=[{"metricName": "m", "metricNamespace": "lc-metrics", "metricValue": "1"}])
    assert refused.value.response["Error"]["Code"] == "InvalidParameterException"
    assert "[ip, user, status = 500]" in refused.value.response["Error"]["Message"]


def test_an_emf_line_becomes_its_metric(emulator: Emulator) -> None:
    # Given a Powertools EMF line, When it is written to a log group, Then its metric exists with its dimension
    _put(_group("/aws/lambda/lc-metrics-emf"), powertools_line())
    assert statistic("lc-emf-test", "Latency", {"service": "ingest"}, "SampleCount") == 2


def test_invalid_emf_is_dropped_without_a_fault(emulator: Emulator) -> None:
    # Given an EMF document whose timestamp is not a number, When it is logged, Then no metric comes of it
    directive = {"Namespace": "lc-emf-bad", "Dimensions": [[]], "Metrics": [{"Name": "Broken"}]}
    _put(_group("/aws/lambda/lc-metrics-bad-emf"),
         json.dumps({"_aws": {"Timestamp": "soon", "CloudWatchMetrics": [directive]}, "Broken": 1}))
    assert statistic("lc-emf-bad", "Broken", {}, "SampleCount") == 0


EMF_HANDLER = '''
import json, time
def handler(event, context):
    print(json.dumps({"_aws": {"Timestamp": int(time.time() * 1000), "CloudWatchMetrics": [
        {"Namespace": "lc-metrics-fn-emf", "Dimensions": [["service"]], "Metrics": [{"Name": "Rows", "Unit": "Count"}]}]},
        "service": "loader", "Rows": 7}))
    return {}
'''


def test_a_function_printing_emf_publishes_its_metric(emulator: Emulator) -> None:
    # Given a function that prints an EMF document, When it is invoked, Then its log line becomes the metric
    function("lc-metrics-emf-fn", EMF_HANDLER)
    boto3.client("lambda").invoke(FunctionName="lc-metrics-emf-fn", Payload=b"{}")
    assert eventually(lambda: statistic("lc-metrics-fn-emf", "Rows", {"service": "loader"}), 7.0) == 7.0

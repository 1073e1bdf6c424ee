"""CloudWatch Logs: a metric filter needs its log group, as in AWS."""

from __future__ import annotations

import boto3
import pytest
from botocore.exceptions import ClientError

from localcloud.emulator import Emulator

TRANSFORM = [{"metricName": "ErrorLines", "metricNamespace": "lc-test", "metricValue": "1"}]


def test_a_metric_filter_on_a_missing_log_group_is_refused(emulator: Emulator) -> None:
    logs = boto3.client("logs")
    with pytest.raises(ClientError) as refused:
        logs.put_metric_filter(logGroupName="/aws/lambda/lc-not-created-yet", filterName="errors",
                               filterPattern="ERROR", metricTransformations=TRANSFORM)
    assert refused.value.response["Error"]["Code"] == "ResourceNotFoundException"


def test_a_metric_filter_on_an_existing_log_group_is_stored(emulator: Emulator) -> None:
    logs = boto3.client("logs")
    logs.create_log_group(logGroupName="/aws/lambda/lc-created")
    logs.put_metric_filter(logGroupName="/aws/lambda/lc-created", filterName="errors", filterPattern="ERROR",
                           metricTransformations=TRANSFORM)
    filters = logs.describe_metric_filters(logGroupName="/aws/lambda/lc-created")["metricFilters"]
    assert [f["filterName"] for f in filters] == ["errors"]

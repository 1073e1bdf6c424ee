"""GetMetricData against the emulator: statistics per aligned period, percentiles, metric math, hidden queries, errors."""

from __future__ import annotations

import math
import time
import uuid
from datetime import UTC, datetime
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from localcloud.emulator import Emulator

PERIOD = 300
RATE = "IF(i0 > 0, 100 * e0 / i0, 0)"  # the pipeline dashboard's error-rate line
FN = [{"Name": "FunctionName", "Value": "lc-gmd-fn"}]


def _at(epoch: float) -> datetime:
    return datetime.fromtimestamp(epoch, UTC)


def _t0() -> float:
    """A period start 20 to 25 minutes ago: three whole periods of it lie in the past."""
    return math.floor((time.time() - 20 * 60) / PERIOD) * PERIOD


def _put(namespace: str, t0: float, rows: list[tuple[float, str, float]]) -> None:
    """(seconds after t0, metric, value) datapoints, each also published without dimensions (as Lambda does)."""
    cloudwatch = boto3.client("cloudwatch")
    for offset, metric, value in rows:
        for dims in (FN, []):
            cloudwatch.put_metric_data(Namespace=namespace, MetricData=[
                {"MetricName": metric, "Dimensions": dims, "Value": value, "Timestamp": _at(t0 + offset)}])


def _stat(query_id: str, namespace: str, metric: str, stat: str = "Sum", visible: bool = True) -> dict[str, Any]:
    return {"Id": query_id, "ReturnData": visible, "MetricStat": {
        "Metric": {"Namespace": namespace, "MetricName": metric, "Dimensions": FN}, "Period": PERIOD, "Stat": stat}}


def _get(queries: list[dict[str, Any]], t0: float, **extra: Any) -> dict[str, dict[str, Any]]:
    answer = boto3.client("cloudwatch").get_metric_data(
        MetricDataQueries=queries, StartTime=_at(t0), EndTime=_at(t0 + 3 * PERIOD), **extra)
    return {r["Id"]: r for r in answer["MetricDataResults"]}


def _times(result: dict[str, Any]) -> list[float]:
    return [t.timestamp() for t in result["Timestamps"]]


@pytest.fixture(scope="module")
def rates(emulator: Emulator) -> tuple[str, float]:
    """Invocations/errors over three periods: 1 of 4 failed, then 5 of 10, then 0 invocations."""
    namespace, t0 = f"lc-gmd-{uuid.uuid4().hex[:8]}", _t0()
    _put(namespace, t0, [(10, "Invocations", 3), (70, "Invocations", 1), (80, "Errors", 1),
                         (310, "Invocations", 10), (320, "Errors", 5), (610, "Invocations", 0)])
    return namespace, t0


def _rate_queries(namespace: str, visible: bool = False) -> list[dict[str, Any]]:
    return [_stat("i0", namespace, "Invocations", visible=visible), _stat("e0", namespace, "Errors", visible=visible),
            {"Id": "r0", "Expression": RATE, "Label": "error %"}]


def test_the_error_rate_expression_gives_each_periods_percentage(rates: tuple[str, float]) -> None:
    namespace, t0 = rates
    rate = _get(_rate_queries(namespace), t0, ScanBy="TimestampAscending")["r0"]
    assert rate["Values"] == [25.0, 50.0, 0.0]
    assert _times(rate) == [t0, t0 + PERIOD, t0 + 2 * PERIOD]


def test_the_expression_keeps_its_label_and_is_complete(rates: tuple[str, float]) -> None:
    namespace, t0 = rates
    rate = _get(_rate_queries(namespace), t0)["r0"]
    assert (rate["Label"], rate["StatusCode"]) == ("error %", "Complete")


def test_datapoints_come_newest_first_by_default(rates: tuple[str, float]) -> None:
    namespace, t0 = rates
    rate = _get(_rate_queries(namespace), t0)["r0"]
    assert _times(rate) == [t0 + 2 * PERIOD, t0 + PERIOD, t0]


def test_hidden_queries_are_computed_but_not_returned(rates: tuple[str, float]) -> None:
    namespace, t0 = rates
    assert list(_get(_rate_queries(namespace), t0)) == ["r0"]


def test_a_metric_query_sums_only_its_exact_dimension_set(rates: tuple[str, float]) -> None:
    namespace, t0 = rates
    invocations = _get(_rate_queries(namespace, visible=True), t0, ScanBy="TimestampAscending")["i0"]
    assert invocations["Values"] == [4.0, 10.0, 0.0]


def test_expressions_may_use_expressions_listed_after_them(rates: tuple[str, float]) -> None:
    namespace, t0 = rates
    queries = [{"Id": "share", "Expression": "r0 / 100"}, *_rate_queries(namespace)]
    queries[-1]["ReturnData"] = False
    share = _get(queries, t0, ScanBy="TimestampAscending")["share"]
    assert share["Values"] == [0.25, 0.5, 0.0]


def test_p99_of_100_values_is_the_99th_smallest(emulator: Emulator) -> None:
    # Given the values 1..100 in one period
    namespace, t0 = f"lc-gmd-{uuid.uuid4().hex[:8]}", _t0()
    boto3.client("cloudwatch").put_metric_data(Namespace=namespace, MetricData=[
        {"MetricName": "Latency", "Dimensions": FN, "Values": [float(v) for v in range(100, 0, -1)],
         "Timestamp": _at(t0 + 30)}])
    # When GetMetricData asks for p99
    result = _get([_stat("p", namespace, "Latency", "p99")], t0)["p"]
    # Then the one period's value is 99
    assert result["Values"] == [99.0]


def test_an_unsupported_function_is_a_validation_error_naming_it(rates: tuple[str, float]) -> None:
    namespace, t0 = rates
    queries = [*_rate_queries(namespace), {"Id": "band", "Expression": "ANOMALY_DETECTION_BAND(i0, 2)"}]
    with pytest.raises(ClientError) as raised:
        _get(queries, t0)
    assert raised.value.response["Error"]["Code"] == "ValidationError"
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert "Error in expression band" in raised.value.response["Error"]["Message"]
    assert "ANOMALY_DETECTION_BAND" in raised.value.response["Error"]["Message"]


def test_a_statistic_the_emulator_does_not_compute_is_a_validation_error_naming_it(rates: tuple[str, float]) -> None:
    namespace, t0 = rates
    with pytest.raises(ClientError) as raised:
        _get([_stat("tm", namespace, "Invocations", "tm99")], t0)
    assert raised.value.response["Error"]["Code"] == "ValidationError"
    assert "'tm99'" in raised.value.response["Error"]["Message"]


def test_a_search_expression_is_left_to_moto_an_empty_series_not_an_error(rates: tuple[str, float]) -> None:
    # The dashboard renderer resolves SEARCH itself (ListMetrics); the emulator's GetMetricData does not
    namespace, t0 = rates
    search = {"Id": "s", "Expression": f"SEARCH('{{{namespace}}} MetricName=\"Invocations\"', 'Sum', {PERIOD})"}
    assert _get([search], t0)["s"]["Values"] == []

"""One moto alarm (the real model object) against datapoints: the state, its reason, unsupported settings."""

from __future__ import annotations

import json
from typing import Any

from moto.cloudwatch.models import Alarm, Dimension, Metric, MetricDataQuery, MetricStat

from localcloud.alarms.assess import Dimensions, assess
from localcloud.alarms.stats import Datum

NOW = 3600.0 * 1000 + 5  # 5 s into a minute: the last complete minute starts 65 s earlier
LAST_MINUTE = NOW - 65


def _alarm(**overrides: Any) -> Alarm:
    spec: dict[str, Any] = dict(
        account_id="123456789012", region_name="us-east-1", name="a", namespace="ns", metric_name="m",
        metric_data_queries=None, comparison_operator="GreaterThanThreshold", evaluation_periods=1,
        datapoints_to_alarm=None, period=60, threshold=5.0, statistic="Maximum", extended_statistic=None,
        description="", dimensions=[{"Name": "Fn", "Value": "f"}], alarm_actions=[], ok_actions=None,
        insufficient_data_actions=None, unit=None, actions_enabled=True, treat_missing_data="missing",
        evaluate_low_sample_count_percentile=None, threshold_metric_id=None, rule=None)
    spec.update(overrides)
    return Alarm(**spec)


def _lookup(data: dict[tuple[str, str], list[Datum]]) -> Any:
    def lookup(namespace: str, name: str, dims: Dimensions, unit: str | None) -> list[Datum]:
        return data.get((namespace, name), []) if dims == frozenset({("Fn", "f")}) else []
    return lookup


def _query(id: str, metric: str) -> MetricDataQuery:
    stat = MetricStat(Metric(metric, "AWS/Lambda", [Dimension("Fn", "f")]), "60", "Sum", None)  # type: ignore[arg-type]
    return MetricDataQuery(id, "", None, False, metric_stat=stat)  # type: ignore[arg-type]


def test_a_breaching_maximum_puts_the_alarm_in_alarm() -> None:
    found = assess(_alarm(), _lookup({("ns", "m"): [Datum.raw(LAST_MINUTE + 1, 9.0)]}), NOW)
    assert found.state == "ALARM"


def test_the_reason_data_carries_the_evaluated_datapoint() -> None:
    found = assess(_alarm(), _lookup({("ns", "m"): [Datum.raw(LAST_MINUTE + 1, 9.0)]}), NOW)
    assert json.loads(found.reason_data)["recentDatapoints"] == [9.0]


def test_a_datapoint_of_the_current_unfinished_minute_is_not_evaluated_yet() -> None:
    found = assess(_alarm(), _lookup({("ns", "m"): [Datum.raw(NOW - 1, 9.0)]}), NOW)
    assert found.state == "INSUFFICIENT_DATA"


def test_a_p99_alarm_reads_the_percentile() -> None:
    values = [Datum.raw(LAST_MINUTE + 1, float(v)) for v in range(1, 101)]
    found = assess(_alarm(statistic=None, extended_statistic="p99", threshold=98.5), _lookup({("ns", "m"): values}), NOW)
    assert found.state == "ALARM"


def test_the_stacks_error_rate_alarm_fires_at_half_failed_invocations() -> None:
    queries = [_query("invocations", "Invocations"), _query("errors", "Errors"),
               MetricDataQuery("rate", "Error rate (%)", None, True,  # type: ignore[arg-type]
                               expression="IF(invocations > 0, 100 * errors / invocations, 0)")]
    data = {("AWS/Lambda", "Invocations"): [Datum.raw(LAST_MINUTE, 10.0)],
            ("AWS/Lambda", "Errors"): [Datum.raw(LAST_MINUTE, 5.0)]}
    found = assess(_alarm(metric_data_queries=queries, period=None, namespace=None, metric_name=None,
                          statistic=None, treat_missing_data="notBreaching"), _lookup(data), NOW)
    assert found.state == "ALARM"


def test_an_unsupported_function_gives_insufficient_data_naming_it() -> None:
    queries = [_query("m", "Invocations"), MetricDataQuery("e", "", None, True,  # type: ignore[arg-type]
                                                           expression="ANOMALY_DETECTION_BAND(m, 2)")]
    found = assess(_alarm(metric_data_queries=queries, period=None), _lookup({}), NOW)
    assert (found.state, "ANOMALY_DETECTION_BAND" in found.reason) == ("INSUFFICIENT_DATA", True)


def test_dynamodb_metrics_ignore_missing_data_and_keep_the_state() -> None:
    queries = [_query("reads", "ReadThrottleEvents")]
    queries[0].metric_stat.metric.namespace = "AWS/DynamoDB"  # type: ignore[union-attr]
    alarm = _alarm(metric_data_queries=[*queries, MetricDataQuery("t", "", None, True,  # type: ignore[arg-type]
                                                                  expression="reads + 0")],
                   period=None, treat_missing_data="breaching")
    alarm.state_value = "OK"
    assert assess(alarm, _lookup({}), NOW).state == "OK"

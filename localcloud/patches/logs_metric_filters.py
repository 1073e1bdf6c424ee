"""Addition: `PutMetricFilter` checks what CloudWatch Logs checks, and replaces a filter of the same name.

* The log group must exist: moto 5.2.5 stored a metric filter for any log group name; AWS answers
  `ResourceNotFoundException` (CloudWatch Logs API Reference, "PutMetricFilter", Errors), so a stack
  whose metric filters are created before the functions' log groups (the observability stack
  deployed without its dependencies, as `cdktf deploy` would run it in parallel) fails there and
  now fails here too.
* The pattern must be one the emulator evaluates (`localcloud.metrics.filter_pattern`: terms, quoted
  terms, `?` and `-` terms, JSON comparisons): the emulator applies metric filters
  (`localcloud.patches.logs_metrics`), and a pattern it cannot read would silently match nothing.
  Such a pattern, or a metricValue/dimension it cannot evaluate, answers
  `InvalidParameterException` naming it (AWS answers the same error for an invalid pattern).
* "Creates or updates a metric filter" (the API's summary): a filter with the same name on the same
  log group is replaced; moto appended a second one.
"""

from __future__ import annotations

from typing import Any


def _check(filter_pattern: str, metric_transformations: Any) -> None:
    from moto.logs.exceptions import InvalidParameterException

    from localcloud.metrics.filter_pattern import UnsupportedPattern, compile_pattern
    from localcloud.metrics.log_filters import check_transformation

    try:
        compile_pattern(filter_pattern or "")
        for transformation in metric_transformations or []:
            check_transformation(transformation)
    except UnsupportedPattern as refused:
        raise InvalidParameterException(f"Invalid metric filter: {refused}") from None


def install() -> None:
    """Refuse a metric filter on a missing log group or with a pattern the emulator cannot evaluate."""
    from moto.logs.exceptions import ResourceNotFoundException
    from moto.logs.models import LogsBackend

    put_metric_filter = LogsBackend.put_metric_filter
    if getattr(put_metric_filter, "_localcloud", False):
        return

    def put_checked(self: Any, filter_name: str, filter_pattern: str, log_group_name: str,
                    metric_transformations: Any) -> None:
        if log_group_name not in self.groups:
            raise ResourceNotFoundException("The specified log group does not exist.")
        _check(filter_pattern, metric_transformations)
        self.filters.delete_filter(filter_name, log_group_name)
        put_metric_filter(self, filter_name, filter_pattern, log_group_name, metric_transformations)

    put_checked._localcloud = True  # type: ignore[attr-defined]
    LogsBackend.put_metric_filter = put_checked  # type: ignore[method-assign]

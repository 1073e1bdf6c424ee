"""Addition: `PutMetricFilter` needs the log group to exist, as CloudWatch Logs requires.

moto 5.2.5 stored a metric filter for any log group name. AWS answers `ResourceNotFoundException`
(CloudWatch Logs API Reference, "PutMetricFilter", Errors), so a stack whose metric filters are
created before the functions' log groups (the observability stack deployed without its
dependencies, as `cdktf deploy` would run it in parallel) fails there and now fails here too.
"""

from __future__ import annotations

from typing import Any


def install() -> None:
    """Refuse a metric filter on a log group that does not exist."""
    from moto.logs.exceptions import ResourceNotFoundException
    from moto.logs.models import LogsBackend

    put_metric_filter = LogsBackend.put_metric_filter
    if getattr(put_metric_filter, "_localcloud", False):
        return

    def put_on_existing_group(self: Any, filter_name: str, filter_pattern: str, log_group_name: str,
                              metric_transformations: Any) -> None:
        if log_group_name not in self.groups:
            raise ResourceNotFoundException("The specified log group does not exist.")
        put_metric_filter(self, filter_name, filter_pattern, log_group_name, metric_transformations)

    put_on_existing_group._localcloud = True  # type: ignore[attr-defined]
    LogsBackend.put_metric_filter = put_on_existing_group  # type: ignore[method-assign]

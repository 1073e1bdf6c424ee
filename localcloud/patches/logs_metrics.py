"""Addition: log events become metrics, as CloudWatch Logs makes them (embedded metric format, metric filters).

AWS: CloudWatch Logs extracts the metrics of every ingested event in the embedded metric format
(CloudWatch User Guide, "Specification: Embedded metric format"; Powertools for AWS Lambda's
`Metrics` writes exactly that to stdout, which Lambda sends to the function's log group) and
applies each metric filter of the log group to every ingested event (CloudWatch Logs User Guide,
"Creating metrics from log events using filters"). moto 5.2.5 stored the events and the filters and
never produced a datapoint. Here every batch `LogsBackend.put_log_events` accepts (PutLogEvents
requests, and the Lambda runtime's function logs) is handed to `localcloud.metrics.log_events`,
which publishes the datapoints into the CloudWatch backend. Invalid EMF yields nothing, as AWS
drops it. A failure of the emulator here never fails the PutLogEvents: it is recorded
(`localcloud.diagnostics`).
"""

from __future__ import annotations

from typing import Any

from localcloud import diagnostics


def _accepted(events: list[dict[str, Any]], rejected: dict[str, Any]) -> list[dict[str, Any]]:
    """The events moto stored: not before `tooOldLogEventEndIndex`, not from `tooNewLogEventStartIndex` on."""
    first = int(rejected.get("tooOldLogEventEndIndex", -1)) + 1
    end = int(rejected.get("tooNewLogEventStartIndex", len(events)))
    return events[first:end]


def install() -> None:
    """Publish the metrics of every batch of log events moto's Logs backend accepts."""
    from moto.logs.models import LogsBackend

    from localcloud.metrics import log_events

    put_log_events = LogsBackend.put_log_events
    if getattr(put_log_events, "_localcloud", False):
        return

    def put_and_publish(self: Any, log_group_name: str, log_stream_name: str,
                        events: list[dict[str, Any]]) -> tuple[str, dict[str, Any]]:
        token, rejected = put_log_events(self, log_group_name, log_stream_name, events)
        with diagnostics.guarded("logs.metrics", f"{self.account_id}/{self.region_name} {log_group_name}"):
            filters = self.filters.get_matching_filters(log_group_name=log_group_name)
            log_events.publish(self.account_id, self.region_name, filters, _accepted(events, rejected))
        return token, rejected

    put_and_publish._localcloud = True  # type: ignore[attr-defined]
    LogsBackend.put_log_events = put_and_publish  # type: ignore[method-assign, assignment]

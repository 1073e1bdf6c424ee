"""Addition: Lambda event source mappings poll in the background, as Lambda's pollers do.

moto 5.2.5 invokes a mapped function synchronously inside the DynamoDB write or SQS send that
produced the record (so a bulk load blocks on one invocation per item), hands the function the
shard's whole record history, ignores FilterCriteria, batch size/window, partial batch
responses, retries and on-failure destinations, and keeps triggering after the mapping is deleted.

Here moto only records (its own triggers are unregistered) and one poller thread per mapping:

* DynamoDB streams: reads new stream records from the mapping's starting position
  (TRIM_HORIZON/LATEST), drops records that match none of the FilterCriteria patterns, batches
  up to BatchSize records or MaximumBatchingWindowInSeconds, and invokes the function with
  Lambda's record shape. `ReportBatchItemFailures` responses resume from the first failed
  sequence number; errors are retried (bisecting the batch when BisectBatchOnFunctionError),
  up to MaximumRetryAttempts (an unset/-1 limit is capped at 10 here), then the batch's
  description goes to the on-failure destination (SQS or SNS) and the poller moves on.
* SQS: receives up to BatchSize messages, invokes, deletes the processed ones (all, or all but
  the reported `batchItemFailures`); failed messages return after the visibility timeout, and the
  queue's redrive policy moves them to its DLQ after maxReceiveCount (moto's redrive).

A poll that fails with an AWS error (e.g. `QueueDoesNotExist` for a deleted source queue) is
logged and retried on the next poll, as Lambda's poller keeps the mapping; any other exception
is a fault of the emulator, recorded in `localcloud.diagnostics` (the test sessions fail on it).
"""

from __future__ import annotations

import json
import threading
import time
from datetime import UTC, datetime
from typing import Any

from localcloud import arns, diagnostics

POLL_SECONDS = 0.25
UNLIMITED_RETRIES_CAP = 10


def _record_event(record: Any, region: str, source: str) -> dict[str, Any]:
    from moto.core.utils import unix_time

    raw = record.to_json()
    dynamodb = dict(raw["dynamodb"])
    if isinstance(dynamodb.get("ApproximateCreationDateTime"), datetime):
        dynamodb["ApproximateCreationDateTime"] = unix_time(dynamodb["ApproximateCreationDateTime"])
    return {"eventID": raw["eventID"], "eventName": raw["eventName"], "eventVersion": raw["eventVersion"],
            "eventSource": raw["eventSource"], "awsRegion": region, "dynamodb": dynamodb, "eventSourceARN": source}


def _matches(esm: Any, record: dict[str, Any]) -> bool:
    filters = (esm.filter_criteria or {}).get("Filters") or []
    if not filters:
        return True
    from moto.events.models import EventPattern

    return any(EventPattern.load(f["Pattern"]).matches_event(record) for f in filters)


def _function(esm: Any) -> Any:
    from moto.awslambda.utils import get_backend

    return get_backend(esm.account_id, esm.region).get_function(esm.function_arn)


def _invoke(esm: Any, event: dict[str, Any]) -> tuple[bool, list[str]]:
    """(error, failed item ids): runs the function synchronously through the emulator's runtime."""
    from localcloud.patches import lambda_runtime

    result = lambda_runtime.run(_function(esm), json.dumps(event))
    if result.error:
        return True, []
    failures: list[str] = []
    if "ReportBatchItemFailures" in (esm.function_response_types or []):
        try:
            body = json.loads(result.payload or b"null")
            failures = [str(f["itemIdentifier"]) for f in (body or {}).get("batchItemFailures", [])]
        except (ValueError, TypeError, KeyError, AttributeError):
            return True, []
    return False, failures


def _send_failure(esm: Any, records: list[dict[str, Any]], condition: str) -> None:
    destination = ((esm.destination_config or {}).get("OnFailure") or {}).get("Destination")
    if not destination or not records:
        return
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    sequence = [r["dynamodb"]["SequenceNumber"] for r in records]
    message = json.dumps({
        "requestContext": {"requestId": f"local-{time.time_ns()}", "functionArn": esm.function_arn,
                           "condition": condition, "approximateInvokeCount": 1},
        "responseContext": {"statusCode": 200, "executedVersion": "$LATEST", "functionError": "Unhandled"},
        "version": "1.0", "timestamp": now,
        "DDBStreamBatchInfo": {"shardId": "shardId-00000001541626099285-f35f62ef", "startSequenceNumber": sequence[0],
                               "endSequenceNumber": sequence[-1], "batchSize": len(records),
                               "streamArn": esm.event_source_arn},
    })
    target = arns.parse(destination)
    if target.service == "sqs":
        from moto.sqs.models import sqs_backends

        sqs_backends[target.account][target.region].send_message(queue_name=target.resource, message_body=message)
    elif target.service == "sns":
        from moto.sns.models import sns_backends

        sns_backends[target.account][target.region].publish(message=message, arn=destination)


class _Poller(threading.Thread):
    def __init__(self, esm: Any, stop: threading.Event) -> None:
        super().__init__(name=f"esm-{esm.uuid}", daemon=True)
        self.esm = esm
        self.stop_event = stop
        self.position: int | None = None

    def run(self) -> None:
        while not self.stop_event.wait(POLL_SECONDS):
            if not self.esm.enabled:
                continue
            # A poller outlives any one bad batch: an AWS error (the source queue was deleted) is
            # logged, anything else is a fault of the emulator and recorded for the tests.
            with diagnostics.guarded("event_sources.poll", f"mapping {self.esm.uuid} ({self.esm.event_source_arn})"):
                if ":sqs:" in self.esm.event_source_arn:
                    self._poll_sqs()
                else:
                    self._poll_stream()

    # -- DynamoDB streams -------------------------------------------------------------------
    def _shard(self) -> Any:
        from moto.dynamodb.models import dynamodb_backends

        for table in dynamodb_backends[self.esm.account_id][self.esm.region].tables.values():
            label = getattr(table, "latest_stream_label", None)
            if label and f"{table.table_arn}/stream/{label}" == self.esm.event_source_arn:
                return table.stream_shard
        return None

    def _poll_stream(self) -> None:
        shard = self._shard()
        if shard is None:
            return
        if self.position is None:
            self.position = len(shard.items) if self.esm.starting_position == "LATEST" else 0
        pending = shard.items[self.position:]
        if not pending:
            return
        window = float(self.esm.max_batch_window or 0)
        batch_size = int(self.esm.batch_size or 100)
        if len(pending) < batch_size and window:
            time.sleep(window)  # batching window: collect what arrives meanwhile
            pending = shard.items[self.position:]
        batch = pending[:batch_size]
        self.position += len(batch)
        records = [_record_event(r, self.esm.region, self.esm.event_source_arn) for r in batch]
        records = [r for r in records if _matches(self.esm, r)]
        if records:
            self._deliver(records)

    def _deliver(self, records: list[dict[str, Any]]) -> None:
        limit = self.esm.max_retry_attempts
        limit = UNLIMITED_RETRIES_CAP if limit is None or int(limit) < 0 else int(limit)
        attempts = 0
        while records:
            error, failures = _invoke(self.esm, {"Records": records})
            if not error and not failures:
                return
            if failures:
                first = next((i for i, r in enumerate(records) if r["dynamodb"]["SequenceNumber"] in failures), 0)
                records = records[first:]
            attempts += 1
            if attempts > limit:
                _send_failure(self.esm, records, "RetryAttemptsExhausted")
                return
            if error and self.esm.bisect_on_error and len(records) > 1:
                half = len(records) // 2
                self._deliver(records[:half])
                records = records[half:]
                attempts = 0
                continue
            time.sleep(min(1.0, 0.1 * attempts))

    # -- SQS --------------------------------------------------------------------------------
    def _poll_sqs(self) -> None:
        from moto.sqs.models import sqs_backends

        backend = sqs_backends[self.esm.account_id][self.esm.region]
        name = self.esm.event_source_arn.split(":")[5]
        queue = backend.get_queue(name)
        messages = backend.receive_message(name, int(self.esm.batch_size or 10), 0, int(queue.visibility_timeout))
        if not messages:
            return
        records = [{
            "messageId": m.id, "receiptHandle": m.receipt_handle, "body": m.body,
            "attributes": {"ApproximateReceiveCount": str(m.approximate_receive_count),
                           "SentTimestamp": str(m.sent_timestamp), "SenderId": "AIDAEMULATOR",
                           "ApproximateFirstReceiveTimestamp": str(m.approximate_first_receive_timestamp)},
            "messageAttributes": m.message_attributes or {}, "md5OfBody": m.body_md5, "eventSource": "aws:sqs",
            "eventSourceARN": self.esm.event_source_arn, "awsRegion": self.esm.region,
        } for m in messages]
        error, failures = _invoke(self.esm, {"Records": records})
        if error:
            return  # visible again after the visibility timeout; redrive to the DLQ after maxReceiveCount
        for message in messages:
            if message.id not in failures:
                backend.delete_message(name, message.receipt_handle)


class EventSourcePollers:
    """One poller thread per enabled mapping, started as mappings appear."""

    def __init__(self) -> None:
        self._stop = threading.Event()
        self._threads: dict[str, _Poller] = {}
        self._watcher = threading.Thread(target=self._watch, name="esm-watcher", daemon=True)

    def start(self) -> EventSourcePollers:
        self._watcher.start()
        return self

    def _watch(self) -> None:
        from moto.awslambda.models import lambda_backends

        while not self._stop.wait(POLL_SECONDS):
            with diagnostics.guarded("event_sources.watch", "mapping discovery"):
                self._sync(lambda_backends)

    def _sync(self, lambda_backends: Any) -> None:
        live: set[str] = set()
        for account in list(lambda_backends.values()):
            for backend in list(account.values()):
                for uuid, esm in list(backend._event_source_mappings.items()):
                    live.add(uuid)
                    if uuid not in self._threads:
                        self._threads[uuid] = _Poller(esm, self._stop)
                        self._threads[uuid].start()
        for uuid in [u for u in self._threads if u not in live]:  # mapping deleted
            self._threads.pop(uuid).esm.enabled = False

    def stop(self) -> None:
        self._stop.set()


def _create_event_source_mapping(self: Any, spec: dict[str, Any]) -> Any:
    esm = _ORIGINAL_CREATE(self, spec)
    # Unregister moto's synchronous triggers: the pollers deliver instead.
    from moto.dynamodb.models import dynamodb_backends
    from moto.sqs.models import sqs_backends

    for queue in sqs_backends[self.account_id][self.region_name].queues.values():
        queue.lambda_event_source_mappings.pop(esm.function_arn, None)
    for table in dynamodb_backends[self.account_id][self.region_name].tables.values():
        table.lambda_event_source_mappings.pop(esm.function_arn, None)
    return esm


_ORIGINAL_CREATE: Any = None


def install() -> EventSourcePollers:
    """Route event source mappings through background pollers; return them (started)."""
    global _ORIGINAL_CREATE
    from moto.awslambda.models import LambdaBackend

    if _ORIGINAL_CREATE is None:
        _ORIGINAL_CREATE = LambdaBackend.create_event_source_mapping
    LambdaBackend.create_event_source_mapping = _create_event_source_mapping  # type: ignore[method-assign]
    return EventSourcePollers().start()

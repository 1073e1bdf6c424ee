"""`AWS/SQS` queue metrics, sampled once per emulated minute by a background thread.

AWS (SQS Developer Guide, "Available CloudWatch metrics for Amazon SQS", dimension `QueueName`):
`ApproximateNumberOfMessagesVisible`, `ApproximateNumberOfMessagesNotVisible`,
`ApproximateNumberOfMessagesDelayed` (Count) and `ApproximateAgeOfOldestMessage` (Seconds, "the
approximate age of the oldest non-deleted message in the queue", reported only when the queue has at
least one message). SQS publishes them every minute; here one minute is emulated time
(`localcloud.clock.real_seconds(60)` real seconds), the datapoints are stamped with wall-clock time.
NumberOfMessagesSent/Received/Deleted and NumberOfEmptyReceives are not published.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from localcloud import clock, diagnostics
from localcloud.metrics.publish import Datum, put_data

NAMESPACE = "AWS/SQS"
PERIOD_S = 60.0  # emulated seconds between samples
POLL_S = 0.2  # real seconds between looks at the emulated clock (it may be sped up or reset meanwhile)


def queue_datapoints(queue: Any, now_ms: float) -> list[Datum]:
    """The sampled metrics of one moto `Queue`."""
    dims = {"QueueName": str(queue.name)}
    messages = list(queue._messages)  # one C-level copy: the queue may change on a request thread
    data = [Datum("ApproximateNumberOfMessagesVisible", sum(1 for m in messages if m.visible and not m.delayed),
                  "Count", dims),
            Datum("ApproximateNumberOfMessagesNotVisible", sum(1 for m in messages if not m.visible), "Count", dims),
            Datum("ApproximateNumberOfMessagesDelayed", sum(1 for m in messages if m.delayed), "Count", dims)]
    sent = [m.sent_timestamp for m in messages if m.sent_timestamp is not None]
    if sent:
        data.append(Datum("ApproximateAgeOfOldestMessage", max(0.0, round((now_ms - min(sent)) / 1000)), "Seconds", dims))
    return data


def sample_once() -> None:
    """Publish every queue's metrics now (every account and Region moto has created a backend for)."""
    from moto.sqs.models import sqs_backends

    now_ms = time.time() * 1000
    for account, regions in list(sqs_backends.items()):
        for region, backend in list(regions.items()):
            for queue in list(backend.queues.values()):
                put_data(account, region, NAMESPACE, queue_datapoints(queue, now_ms))


class QueueSampler:
    """The background thread: `start()`, then `sample_once()` each emulated minute until `stop()`."""

    def __init__(self) -> None:
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> QueueSampler:
        self._thread = threading.Thread(target=self._run, name="sqs-metrics", daemon=True)
        self._thread.start()
        return self

    def _run(self) -> None:
        due = clock.now() + PERIOD_S
        while not self._stop.wait(POLL_S):
            now = clock.now()
            if due - now > PERIOD_S:  # the clock was restarted slower: a minute from now, not from the old pace
                due = now + PERIOD_S
            if now < due:
                continue
            due = now + PERIOD_S
            with diagnostics.guarded("sqs.metrics", "sample"):
                sample_once()

    def stop(self) -> None:
        """Stop sampling (waits for the thread to end)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

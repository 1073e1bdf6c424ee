"""Fault injection: DynamoDB `BatchWriteItem` partly served, the rest answered as `UnprocessedItems`.

AWS: "If any requested operations fail because the table's provisioned throughput is exceeded or
an internal processing failure occurs, the failed operations are returned in the UnprocessedItems
response parameter", and "we strongly recommend that you use an exponential backoff algorithm"
(DynamoDB API Reference, BatchWriteItem). On-demand tables do this too when a partition's limits
are reached. moto serves every request in full, so the retry path of a loader is never run.

`throttle_batch_writes(table, served=n, requests=k)` makes the next `k` BatchWriteItem requests
naming `table` write only their first `n` put/delete requests for it and return the others,
unchanged, under `UnprocessedItems`, as DynamoDB does. Nothing is armed by default.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

_LOCK = threading.Lock()


@dataclass
class _Throttle:
    served: int
    remaining: int
    withheld_items: int = 0
    throttled_requests: int = 0


_ARMED: dict[str, _Throttle] = {}


@dataclass(frozen=True)
class ThrottleReport:
    """What an armed throttle did: requests partly served, items handed back as unprocessed."""

    throttled_requests: int
    withheld_items: int


@contextmanager
def throttle_batch_writes(table: str, *, served: int, requests: int) -> Iterator[list[ThrottleReport]]:
    """Within the block, the next `requests` BatchWriteItem calls on `table` serve only `served` items each.

    Yields a list that holds one `ThrottleReport` once the block ends.
    """
    report: list[ThrottleReport] = []
    with _LOCK:
        _ARMED[table] = _Throttle(served=served, remaining=requests)
    try:
        yield report
    finally:
        with _LOCK:
            done = _ARMED.pop(table)
        report.append(ThrottleReport(done.throttled_requests, done.withheld_items))


def _withhold(request_items: dict[str, list[Any]]) -> dict[str, list[Any]]:
    """Cut the armed tables' request lists in place; return what is handed back per table."""
    withheld: dict[str, list[Any]] = {}
    with _LOCK:
        for table, requests in request_items.items():
            armed = _ARMED.get(table)
            if armed is None or armed.remaining <= 0 or len(requests) <= armed.served:
                continue
            armed.remaining -= 1
            armed.throttled_requests += 1
            withheld[table] = requests[armed.served:]
            armed.withheld_items += len(withheld[table])
            request_items[table] = requests[:armed.served]
    return withheld


def install() -> None:
    """Wrap moto's BatchWriteItem handler."""
    from moto.dynamodb.responses import DynamoHandler

    original = DynamoHandler.batch_write_item

    def batch_write_item(self: Any) -> Any:
        withheld = _withhold(self.body["RequestItems"])
        result = original(self)
        if withheld:
            result._result["UnprocessedItems"] = withheld
        return result

    DynamoHandler.batch_write_item = batch_write_item

"""BatchWriteItem with AWS's retry advice: unprocessed items are re-sent after an exponential, jittered wait.

DynamoDB answers a BatchWriteItem it could only partly serve (throttling, a hot partition) with
the rest in `UnprocessedItems`, and "strongly recommends" exponential backoff before re-sending
them (DynamoDB API Reference, BatchWriteItem). botocore retries only whole-request errors, and
boto3's `batch_writer` re-sends unprocessed items at once, without waiting. Here each request
waits `random() * min(cap, base * 2**attempt)` ("full jitter") before its next attempt; puts are
keyed, so a re-sent item is written once. After `attempts` the call raises `TransientError`: the
state machine's Retry runs the whole (idempotent) load again.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from txnpipe.errors import TransientError

MAX_BATCH = 25  # BatchWriteItem's limit of put or delete requests per call


@dataclass(frozen=True)
class Backoff:
    """How long to wait before attempt `n + 1`, and how many attempts a batch gets."""

    attempts: int = 10
    base_s: float = 0.05
    cap_s: float = 5.0
    jitter: Callable[[], float] = random.random

    def delay(self, attempt: int) -> float:
        """The full-jitter wait after the `attempt`-th partly served request (1-based)."""
        return float(self.jitter()) * min(self.cap_s, self.base_s * 2.0 ** attempt)


def put_all(client: Any, table: str, items: Iterable[Mapping[str, Any]], *, key: str, backoff: Backoff = Backoff(),
            sleep: Callable[[float], None] = time.sleep) -> int:
    """Put every item into `table` (a resource client: native values), 25 per request; return the re-sends.

    Items with the same `key` value are written once, the last one kept (as `overwrite_by_pkeys`).
    """
    unique = list({item[key]: item for item in items}.values())
    resent = 0
    for start in range(0, len(unique), MAX_BATCH):
        resent += _put_batch(client, table, unique[start:start + MAX_BATCH], backoff, sleep)
    return resent


def _put_batch(client: Any, table: str, items: list[Mapping[str, Any]], backoff: Backoff,
               sleep: Callable[[float], None]) -> int:
    pending: list[dict[str, Any]] = [{"PutRequest": {"Item": item}} for item in items]
    for attempt in range(1, backoff.attempts + 1):
        answer = client.batch_write_item(RequestItems={table: pending})
        pending = answer.get("UnprocessedItems", {}).get(table, [])
        if not pending:
            return attempt - 1
        if attempt < backoff.attempts:
            sleep(backoff.delay(attempt))
    raise TransientError(f"BatchWriteItem on {table}: {len(pending)} of {len(items)} items still unprocessed "
                         f"after {backoff.attempts} attempts with backoff")

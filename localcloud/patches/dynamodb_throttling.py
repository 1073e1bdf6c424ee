"""Fault injection: DynamoDB throttling the loader's reads and writes, as AWS answers it.

AWS, BatchGetItem: "If DynamoDB returns any unprocessed items, you should retry the batch operation on
those items. However, we strongly recommend that you use an exponential backoff algorithm"; the keys
not read come back under `UnprocessedKeys`. AWS, TransactWriteItems: a throttled transaction is
canceled (`TransactionCanceledException`) with the reason `ThrottlingError` ("Throughput exceeds the
current capacity of your table or index ... please try again shortly") for the throttled actions,
`None` for the others, and nothing is written (DynamoDB API Reference). On-demand tables do both when
a partition's limits are reached. moto serves every request in full, so a loader's retry path never ran.

- `throttle_reads(table, served=n, requests=k)`: the next `k` BatchGetItem requests naming `table`
  read only its first `n` keys and return the others, unchanged, under `UnprocessedKeys`;
- `throttle_transactions(table, requests=k)`: the next `k` TransactWriteItems naming `table` are
  canceled with `ThrottlingError` for its actions.

Each yields a list that holds one `ThrottleReport` once its block ends. Nothing is armed by default.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

THROTTLED = ("Throughput exceeds the current capacity of your table or index. DynamoDB is automatically scaling your "
             "table or index so please try again shortly. If exceptions persist, check if you have a hot key: "
             "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-partition-key-design.html.")
_LOCK = threading.Lock()


@dataclass
class _Throttle:
    served: int
    remaining: int
    withheld: int = 0
    throttled_requests: int = 0


@dataclass(frozen=True)
class ThrottleReport:
    """What an armed throttle did: requests throttled, and the keys or actions they handed back."""

    throttled_requests: int
    withheld: int


_READS: dict[str, _Throttle] = {}
_WRITES: dict[str, _Throttle] = {}


@contextmanager
def _armed(registry: dict[str, _Throttle], table: str, served: int, requests: int) -> Iterator[list[ThrottleReport]]:
    report: list[ThrottleReport] = []
    with _LOCK:
        registry[table] = _Throttle(served=served, remaining=requests)
    try:
        yield report
    finally:
        with _LOCK:
            done = registry.pop(table)
        report.append(ThrottleReport(done.throttled_requests, done.withheld))


def throttle_reads(table: str, *, served: int, requests: int) -> Any:
    """Within the block, the next `requests` BatchGetItem calls on `table` read only `served` keys each."""
    return _armed(_READS, table, served, requests)


def throttle_transactions(table: str, *, requests: int) -> Any:
    """Within the block, the next `requests` TransactWriteItems naming `table` are canceled as throttled."""
    return _armed(_WRITES, table, 0, requests)


def _take(registry: dict[str, _Throttle], table: str, size: int) -> _Throttle | None:
    """The armed throttle that applies to one request of `size` keys or actions on `table`, counted."""
    armed = registry.get(table)
    if armed is None or armed.remaining <= 0 or size <= armed.served:
        return None
    armed.remaining -= 1
    armed.throttled_requests += 1
    armed.withheld += size - armed.served
    return armed


def _withhold_keys(request_items: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Cut the armed tables' key lists in place; return what is handed back per table."""
    withheld: dict[str, dict[str, Any]] = {}
    if sum(len(request["Keys"]) for request in request_items.values()) > 100:
        return withheld  # moto refuses it as AWS does, before anything is read
    with _LOCK:
        for table, request in request_items.items():
            armed = _take(_READS, table, len(request["Keys"]))
            if armed is not None:
                withheld[table] = {**request, "Keys": request["Keys"][armed.served:]}
                request["Keys"] = request["Keys"][:armed.served]
    return withheld


def _throttled_reasons(actions: list[dict[str, Any]]) -> list[Any] | None:
    """moto's (code, message, item) per action when an armed table is named, else None."""
    tables = [next(iter(a.values())).get("TableName") for a in actions]
    with _LOCK:
        hit = [t for t in dict.fromkeys(tables) if _take(_WRITES, str(t), tables.count(t)) is not None]
    if not hit:
        return None
    return [("ThrottlingError", THROTTLED, None) if t in hit else (None, None, None) for t in tables]


def install() -> None:
    """Wrap moto's BatchGetItem handler and its backend's TransactWriteItems (after dynamodb_transactions)."""
    from moto.dynamodb.exceptions import TransactionCanceledException
    from moto.dynamodb.models import DynamoDBBackend
    from moto.dynamodb.responses import DynamoHandler

    original_get = DynamoHandler.batch_get_item

    def batch_get_item(self: Any) -> Any:
        withheld = _withhold_keys(self.body["RequestItems"])
        result = original_get(self)
        if withheld:
            result._result["UnprocessedKeys"] = withheld
        return result

    original_transact = DynamoDBBackend.transact_write_items

    def transact_write_items(backend: Any, actions: list[dict[str, Any]]) -> None:
        reasons = _throttled_reasons(actions)
        if reasons is not None:
            raise TransactionCanceledException(reasons)
        original_transact(backend, actions)

    DynamoHandler.batch_get_item = batch_get_item
    DynamoDBBackend.transact_write_items = transact_write_items

"""Store only what is not stored yet: BatchGetItem finds the kept items, TransactWriteItems puts the rest if absent.

BatchWriteItem cannot carry a condition, so two files sending one id at once would both overwrite it.
Each new item is instead a `Put` with `attribute_not_exists(<key>)` in a TransactWriteItems of up to
100 actions; an item stored meanwhile cancels the transaction with `ConditionalCheckFailed` and,
with `ReturnValuesOnConditionCheckFailure=ALL_OLD`, the stored item, which the caller classifies.
The other actions of a canceled transaction (reason `None`) are sent again at once; throttled or
conflicting ones (`ThrottlingError`, `ProvisionedThroughputExceeded`, `TransactionConflict`) after a
backoff (txnpipe.backoff). A transaction's writes cost 2 WRU per KB on the table (capacity.load_plan).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from boto3.dynamodb.types import TypeDeserializer
from botocore.exceptions import ClientError

from txnpipe.backoff import Backoff
from txnpipe.errors import TransientError

MAX_GET = 100  # BatchGetItem's limit of keys per call
MAX_TRANSACTION = 100  # TransactWriteItems' limit of actions per call
_WAIT_CODES = frozenset({"ThrottlingError", "ProvisionedThroughputExceeded", "TransactionConflict"})
_DESERIALIZE = TypeDeserializer()
DEFAULT_BACKOFF = Backoff()
Sleep = Callable[[float], None]


def stored_items(client: Any, table: str, keys: Sequence[str], *, key: str, backoff: Backoff = DEFAULT_BACKOFF,
                 sleep: Sleep = time.sleep) -> dict[str, dict[str, Any]]:
    """The items of `table` (a resource client: native values) stored under `keys`, by key (≤ MAX_GET keys)."""
    found: dict[str, dict[str, Any]] = {}
    pending: Mapping[str, Any] = {table: {"Keys": [{key: k} for k in keys]}} if keys else {}
    for attempt in range(1, backoff.attempts + 1):
        if not pending:
            return found
        answer = client.batch_get_item(RequestItems=pending)
        found.update({str(item[key]): item for item in answer.get("Responses", {}).get(table, [])})
        pending = answer.get("UnprocessedKeys") or {}
        if pending and attempt < backoff.attempts:
            sleep(backoff.delay(attempt))
    if pending:
        raise TransientError(f"BatchGetItem on {table}: keys still unprocessed after {backoff.attempts} attempts")
    return found


def put_new(client: Any, table: str, items: Sequence[dict[str, Any]], *, key: str, backoff: Backoff = DEFAULT_BACKOFF,
            sleep: Sleep = time.sleep) -> tuple[dict[str, dict[str, Any]], int]:
    """Put each item (≤ MAX_TRANSACTION) unless its key is stored: (the stored items found instead, throttled sends)."""
    pending, waited = list(items), 0
    kept: dict[str, dict[str, Any]] = {}
    for attempt in range(1, backoff.attempts + 1):
        if not pending:
            return kept, waited
        try:
            client.transact_write_items(TransactItems=[_put(table, key, item) for item in pending])
            return kept, waited
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") != "TransactionCanceledException":
                raise
            reasons: list[dict[str, Any]] = list(error.response.get("CancellationReasons", []))  # type: ignore[arg-type]
            pending, found, wait = _sort_out(pending, reasons, key)
        kept.update(found)
        if wait:
            waited += 1
            sleep(backoff.delay(attempt))
    if pending:
        raise TransientError(f"TransactWriteItems on {table}: {len(pending)} of {len(items)} items still not "
                             f"written after {backoff.attempts} attempts with backoff")
    return kept, waited


def _put(table: str, key: str, item: dict[str, Any]) -> dict[str, Any]:
    return {"Put": {"TableName": table, "Item": item, "ConditionExpression": "attribute_not_exists(#k)",
                    "ExpressionAttributeNames": {"#k": key}, "ReturnValuesOnConditionCheckFailure": "ALL_OLD"}}


def _sort_out(items: list[dict[str, Any]], reasons: list[dict[str, Any]],
              key: str) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]], bool]:
    """(items to send again, stored items that failed a condition, whether to back off first)."""
    if len(reasons) != len(items):
        raise ValueError(f"TransactWriteItems canceled with {len(reasons)} reasons for {len(items)} actions")
    again: list[dict[str, Any]] = []
    kept: dict[str, dict[str, Any]] = {}
    wait = False
    for item, reason in zip(items, reasons, strict=True):
        code = reason.get("Code", "None")
        if code == "ConditionalCheckFailed" and reason.get("Item"):
            kept[str(item[key])] = {k: _DESERIALIZE.deserialize(v) for k, v in reason["Item"].items()}
        elif code in _WAIT_CODES or code in ("None", "ConditionalCheckFailed"):
            wait = wait or code in _WAIT_CODES
            again.append(item)
        else:
            raise ValueError(f"TransactWriteItems refused the item {item[key]!r}: {code}: {reason.get('Message')}")
    return again, kept, wait

"""Addition: DynamoDB `TransactWriteItems` all-or-nothing without copying tables, with AWS's size limit.

AWS: the actions "are completed atomically so that either all of them succeed, or all of them fail";
"no two actions can target the same item"; "the aggregate size of the items in the transaction
cannot exceed 4 MB"; a canceled transaction answers `TransactionCanceledException` with one
`CancellationReasons` entry per action, in order, `{"Code": "None"}` for the actions that did not
fail (DynamoDB API Reference, TransactWriteItems).

moto 5.2.5 deep-copied every table the transaction names before it started, wrote each action as it
went, and on a failure put the copies back in place of the tables: a transaction's cost grew with
the table (a loader's 100-item transaction into a table of 10,000 items copied 10,000 items; the
loader's handler tests took 7 min 24 s, 10 s without the copies). Here every condition is checked
first and nothing is written unless all pass; DynamoDB's requests are served one at a time
(request_locks), so the check and the writes are one atomic step, as in AWS. moto did not check the
4 MB limit.

The writes themselves are moto's (`put_item`, `update_item`, `delete_item`). An `Update` that moto
refuses only while applying it (an `ADD` to a string) restores the items already written in this
transaction before the cancellation is answered; their stream then shows the write and its undoing,
where AWS shows neither (no pipeline transaction has an `Update`).
"""

from __future__ import annotations

import copy
from typing import Any

MAX_ACTIONS = 100
MAX_BYTES = 4 * 1024 * 1024
_KINDS = ("ConditionCheck", "Put", "Delete", "Update")


def _item_bytes(attrs: dict[str, Any]) -> int:
    """An item's size as DynamoDB counts it: attribute names plus values (moto's `DynamoType.size`)."""
    from moto.dynamodb.models.dynamo_type import DynamoType
    from moto.dynamodb.models.utilities import bytesize

    return sum(bytesize(name) + DynamoType(value).size() for name, value in attrs.items())


def _validate(backend: Any, actions: list[dict[str, Any]]) -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
    """(kind, action, key) per action; ValidationException for what AWS refuses before it starts."""
    from moto.dynamodb.exceptions import (
        MockValidationException,
        MultipleTransactionsException,
        TooManyTransactionsException,
        TransactWriteSingleOpException,
    )

    if len(actions) > MAX_ACTIONS:
        raise TooManyTransactionsException()
    out, seen, size = [], set(), 0
    for action in actions:
        if len(action) != 1 or next(iter(action)) not in _KINDS:
            raise TransactWriteSingleOpException()
        kind, body = next(iter(action.items()))
        table = backend.get_table(body["TableName"])
        if kind == "Put":
            key = {table.hash_key_attr: body["Item"][table.hash_key_attr]}
            if table.range_key_attr is not None:
                key[table.range_key_attr] = body["Item"][table.range_key_attr]
            size += _item_bytes(body["Item"])
        else:
            key = body["Key"]
        target = (body["TableName"], str(sorted(key.items())))
        if target in seen:
            raise MultipleTransactionsException()
        seen.add(target)
        out.append((kind, body, key))
    if size > MAX_BYTES:
        raise MockValidationException("Transaction request cannot be larger than 4 MB")
    return out


def _reasons(backend: Any, planned: list[tuple[str, dict[str, Any], dict[str, Any]]]) -> list[Any]:
    """moto's (code, message, item) per action: (None, None, None) where its condition holds."""
    from moto.dynamodb.comparisons import get_filter_expression

    reasons: list[Any] = []
    for _, body, key in planned:
        current = backend.get_item(body["TableName"], key)
        condition = body.get("ConditionExpression")
        if condition is None or get_filter_expression(
                condition, body.get("ExpressionAttributeNames"), body.get("ExpressionAttributeValues")).expr(current):
            reasons.append((None, None, None))
            continue
        old = current.to_json()["Attributes"] if current and body.get(
            "ReturnValuesOnConditionCheckFailure") == "ALL_OLD" else None
        reasons.append(("ConditionalCheckFailed", "The conditional request failed", old))
    return reasons


def _apply(backend: Any, kind: str, body: dict[str, Any], key: dict[str, Any]) -> None:
    names, values = body.get("ExpressionAttributeNames"), body.get("ExpressionAttributeValues")
    if kind == "Put":
        backend.put_item(body["TableName"], body["Item"], expression_attribute_names=names,
                         expression_attribute_values=values)
    elif kind == "Delete":
        backend.delete_item(body["TableName"], key)
    elif kind == "Update":
        backend.update_item(body["TableName"], key, update_expression=body["UpdateExpression"],
                            expression_attribute_names=names or {}, expression_attribute_values=values or {})


def _restore(backend: Any, table: str, key: dict[str, Any], before: Any) -> None:
    if before is None:
        backend.delete_item(table, key)
    else:
        backend.put_item(table, before.to_json()["Attributes"])


def transact_write_items(backend: Any, actions: list[dict[str, Any]]) -> None:
    """Check every action's condition, then write all of them, or cancel with one reason per action."""
    from moto.dynamodb.exceptions import TransactionCanceledException

    planned = _validate(backend, actions)
    reasons = _reasons(backend, planned)
    if any(code is not None for code, _, _ in reasons):
        raise TransactionCanceledException(reasons)
    written: list[tuple[str, dict[str, Any], Any]] = []
    for index, (kind, body, key) in enumerate(planned):
        before = copy.deepcopy(backend.get_item(body["TableName"], key))  # update_item changes the item in place
        try:
            _apply(backend, kind, body, key)
        except Exception as refused:  # moto's error for this action becomes its cancellation reason
            for table, done_key, old in reversed(written):
                _restore(backend, table, done_key, old)
            failed = [(None, None, None)] * len(planned)
            failed[index] = (getattr(refused, "error_type", type(refused).__name__).split("#")[-1], str(refused), None)
            raise TransactionCanceledException(failed) from None
        written.append((body["TableName"], key, before))


def install() -> None:
    """Replace moto's backend `transact_write_items`."""
    from moto.dynamodb.models import DynamoDBBackend

    DynamoDBBackend.transact_write_items = transact_write_items

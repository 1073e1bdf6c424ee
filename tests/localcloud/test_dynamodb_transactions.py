"""The emulator's TransactWriteItems: all or nothing, one reason per action, AWS's limits, and fast on a large table."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError


def _table(name: str) -> Any:
    boto3.client("dynamodb").create_table(
        TableName=name, BillingMode="PAY_PER_REQUEST", AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}])
    return boto3.resource("dynamodb").Table(name)


def _put_new(table: str, key: str, **attrs: Any) -> dict[str, Any]:
    return {"Put": {"TableName": table, "Item": {"k": key, **attrs}, "ConditionExpression": "attribute_not_exists(k)",
                    "ReturnValuesOnConditionCheckFailure": "ALL_OLD"}}


def _refused(table: Any, actions: list[dict[str, Any]]) -> dict[str, Any]:
    with pytest.raises(ClientError) as raised:
        table.meta.client.transact_write_items(TransactItems=actions)
    return raised.value.response


def test_a_failed_condition_cancels_the_transaction_and_writes_nothing() -> None:
    # Given a table holding k1
    table = _table("lc-txn-atomic")
    table.put_item(Item={"k": "k1", "v": "first"})
    # When a transaction puts k0, k1 and k2 only if absent
    answer = _refused(table, [_put_new("lc-txn-atomic", k, v="second") for k in ("k0", "k1", "k2")])
    # Then it is canceled, k1 keeps its value, and neither k0 nor k2 was written
    assert answer["Error"]["Code"] == "TransactionCanceledException"
    assert table.get_item(Key={"k": "k1"})["Item"]["v"] == "first"
    assert [k for k in ("k0", "k2") if "Item" in table.get_item(Key={"k": k})] == []


def test_the_reasons_are_one_per_action_in_order_with_the_stored_item_where_asked() -> None:
    table = _table("lc-txn-reasons")
    table.put_item(Item={"k": "k1", "v": "first"})
    answer = _refused(table, [_put_new("lc-txn-reasons", k, v="second") for k in ("k0", "k1", "k2")])
    assert [r["Code"] for r in answer["CancellationReasons"]] == ["None", "ConditionalCheckFailed", "None"]
    assert answer["CancellationReasons"][1]["Item"] == {"k": {"S": "k1"}, "v": {"S": "first"}}


def test_two_actions_on_one_item_are_refused_before_anything_is_written() -> None:
    table = _table("lc-txn-twice")
    answer = _refused(table, [_put_new("lc-txn-twice", "k0"), _put_new("lc-txn-twice", "k1"),
                              _put_new("lc-txn-twice", "k0")])
    assert (answer["Error"]["Code"], "Item" in table.get_item(Key={"k": "k1"})) == ("ValidationException", False)


def test_more_than_100_actions_are_refused() -> None:
    table = _table("lc-txn-many")
    answer = _refused(table, [_put_new("lc-txn-many", f"k{n}") for n in range(101)])
    assert "less than or equal to 100" in answer["Error"]["Message"]


def test_more_than_4_mb_of_items_is_refused() -> None:
    # Given 11 items of 390,000 bytes each (each under the 400 KB item limit, 4.29 MB together)
    table = _table("lc-txn-size")
    answer = _refused(table, [_put_new("lc-txn-size", f"k{n}", blob="x" * 390_000) for n in range(11)])
    assert (answer["Error"]["Code"], answer["Error"]["Message"]) == (
        "ValidationException", "Transaction request cannot be larger than 4 MB")


def test_an_update_moto_refuses_while_writing_undoes_the_actions_before_it() -> None:
    # Given k1 holds a string; the transaction puts k0, then ADDs a number to k1's string
    table = _table("lc-txn-undo")
    table.put_item(Item={"k": "k1", "v": "text"})
    answer = _refused(table, [_put_new("lc-txn-undo", "k0"), {"Update": {
        "TableName": "lc-txn-undo", "Key": {"k": "k1"}, "UpdateExpression": "ADD v :one",
        "ExpressionAttributeValues": {":one": 1}}}])
    # Then the second action's reason says why, and k0 is not stored
    assert (answer["CancellationReasons"][0]["Code"], answer["CancellationReasons"][1]["Code"]) == (
        "None", "ValidationException")
    assert "Item" not in table.get_item(Key={"k": "k0"})


def test_a_transaction_copies_no_table(monkeypatch: pytest.MonkeyPatch) -> None:
    # Given a table of 2,000 items, and every deep copy made by moto's DynamoDB backend recorded
    import copy

    import moto.dynamodb.models as models
    from moto.dynamodb.models.table import Table

    table = _table("lc-txn-large")
    with table.batch_writer() as batch:
        for n in range(2_000):
            batch.put_item(Item={"k": f"old{n}"})
    copied: list[type] = []

    class Spy:
        @staticmethod
        def deepcopy(value: Any, memo: Any = None) -> Any:
            copied.append(type(value))
            return copy.deepcopy(value, memo)

    monkeypatch.setattr(models, "copy", Spy)
    # When a 100-item transaction is written (moto copied each named table first: cost grew with the table)
    table.meta.client.transact_write_items(TransactItems=[_put_new("lc-txn-large", f"new{n}") for n in range(100)])
    # Then no table was copied, and the 100 items are stored
    assert (Table in copied, table.scan(Select="COUNT")["Count"]) == (False, 2_100)

"""DynamoDB refuses an oversized key on reads as AWS does (ValidationException, 400), not with "no item"."""

from __future__ import annotations

import boto3
import pytest
from botocore.exceptions import ClientError

from localcloud.emulator import Emulator

TABLE = "lc-key-limits"


@pytest.fixture(scope="module")
def table(emulator: Emulator) -> str:
    boto3.client("dynamodb").create_table(
        TableName=TABLE, BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "sk", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}])
    return TABLE


def _error(call: object) -> tuple[str, str]:
    with pytest.raises(ClientError) as raised:
        call()  # type: ignore[operator]
    return raised.value.response["Error"]["Code"], raised.value.response["Error"]["Message"]


def test_a_get_of_a_partition_key_over_2048_bytes_is_a_validation_error(table: str) -> None:
    code, message = _error(lambda: boto3.client("dynamodb").get_item(
        TableName=table, Key={"pk": {"S": "p" * 2049}, "sk": {"S": "s"}}))
    assert (code, "Size of hashkey has exceeded the maximum size limit of" in message) == ("ValidationException", True)


def test_a_get_of_a_sort_key_over_1024_bytes_is_a_validation_error(table: str) -> None:
    code, message = _error(lambda: boto3.client("dynamodb").get_item(
        TableName=table, Key={"pk": {"S": "p"}, "sk": {"S": "s" * 1025}}))
    assert (code, "range keys has exceeded the size limit of 1024" in message) == ("ValidationException", True)


def test_a_query_of_an_oversized_partition_key_is_a_validation_error(table: str) -> None:
    code, _ = _error(lambda: boto3.client("dynamodb").query(
        TableName=table, KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": {"S": "p" * 2049}}))
    assert code == "ValidationException"


def test_keys_at_the_limits_are_read_normally(table: str) -> None:
    answer = boto3.client("dynamodb").get_item(TableName=table, Key={"pk": {"S": "p" * 2048}, "sk": {"S": "s" * 1024}})
    assert "Item" not in answer

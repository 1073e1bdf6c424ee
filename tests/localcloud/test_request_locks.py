"""Concurrent requests to a moto backend that is not thread-safe: each answers as AWS would, none faults."""

from __future__ import annotations

import threading
from typing import Any

import boto3
from botocore.config import Config

from localcloud import diagnostics
from localcloud.emulator import Emulator
from localcloud.patches.request_locks import signing_service

TABLE = "lc-locks-items"
CLIENT = Config(retries={"total_max_attempts": 1}, max_pool_connections=16)


def _table() -> None:
    boto3.client("dynamodb").create_table(
        TableName=TABLE, BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "sk", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}])


def _run(threads: list[threading.Thread]) -> None:
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)


def test_queries_while_items_are_written_never_fault(emulator: Emulator) -> None:
    # Given a table, writers adding items under new partition keys and readers querying meanwhile
    _table()
    errors: list[Any] = []
    done = threading.Event()

    def write(writer: int) -> None:
        client = boto3.client("dynamodb", config=CLIENT)
        for n in range(150):
            client.put_item(TableName=TABLE, Item={"pk": {"S": f"w{writer}-{n}"}, "sk": {"S": "a"}})

    def read() -> None:
        client = boto3.client("dynamodb", config=CLIENT)
        while not done.is_set():
            try:
                client.query(TableName=TABLE, KeyConditionExpression="pk = :p",
                             ExpressionAttributeValues={":p": {"S": "w0-1"}})
            except Exception as exc:  # every failure is the finding
                errors.append(exc)
                return

    readers = [threading.Thread(target=read) for _ in range(3)]
    for reader in readers:
        reader.start()
    # When the writers are done
    _run([threading.Thread(target=write, args=(w,)) for w in range(4)])
    done.set()
    for reader in readers:
        reader.join(timeout=30)
    # Then no query failed and the emulator recorded no fault
    assert errors == []
    assert diagnostics.take("moto.request", error="dictionary changed size") == ()


def test_the_service_is_read_from_the_credential_scope() -> None:
    auth = "AWS4-HMAC-SHA256 Credential=AKID/20261201/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=x"
    assert signing_service({"HTTP_AUTHORIZATION": auth}) == "dynamodb"


def test_an_unsigned_request_has_no_service() -> None:
    assert signing_service({}) is None

"""Concurrent requests to a moto backend that is not thread-safe: each answers as AWS would, none faults."""

from __future__ import annotations

import threading
import time
from typing import Any

import boto3
import pytest
from botocore.config import Config

from localcloud import ACCOUNT_ID, diagnostics
from localcloud.emulator import Emulator
from localcloud.patches.request_locks import held, signing_service

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


TRUST = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},' \
        '"Action":"sts:AssumeRole"}]}'


def test_an_iam_request_waits_while_another_holds_iam(emulator: Emulator) -> None:
    # Given a role, and IAM's lock held (as by a DeleteRole in progress)
    iam = boto3.client("iam", config=CLIENT)
    iam.create_role(RoleName="lc-locks-wait", AssumeRolePolicyDocument=TRUST)
    answered = threading.Event()

    def look_up() -> None:
        iam.get_role(RoleName="lc-locks-wait")
        answered.set()

    with held("iam"):
        # When a GetRole arrives meanwhile
        reader = threading.Thread(target=look_up)
        reader.start()
        # Then it is not answered until the lock is released
        assert not answered.wait(timeout=1.0)
    assert answered.wait(timeout=30)
    reader.join()


def test_a_role_listing_is_a_snapshot_that_a_new_role_does_not_change(emulator: Emulator) -> None:
    # Given a role listing being walked, as Lambda's CreateFunction walks it to find its role by ARN
    from moto.iam.models import iam_backends

    iam = boto3.client("iam", config=CLIENT)
    iam.create_role(RoleName="lc-locks-snap-a", AssumeRolePolicyDocument=TRUST)
    backend = iam_backends[ACCOUNT_ID]["global"]
    walk = iter(backend.get_roles())
    next(walk)
    # When another role is created mid-walk
    iam.create_role(RoleName="lc-locks-snap-b", AssumeRolePolicyDocument=TRUST)
    # Then the walk goes on over what it started with
    assert all(role.name != "lc-locks-snap-b" for role in walk)


def test_the_service_is_read_from_the_credential_scope() -> None:
    auth = "AWS4-HMAC-SHA256 Credential=AKID/20261201/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=x"
    assert signing_service({"HTTP_AUTHORIZATION": auth}) == "dynamodb"


def test_an_unsigned_request_has_no_service() -> None:
    assert signing_service({}) is None


def test_moto_builds_one_request_router_at_a_time(emulator: Emulator, monkeypatch: pytest.MonkeyPatch) -> None:
    # Given a service whose routers are not built yet, and a router that takes a while to build
    from moto.core import routing

    building, most = [0], [0]

    class SlowRouter:
        def __init__(self, model: object) -> None:
            building[0] += 1
            most[0] = max(most[0], building[0])
            time.sleep(0.2)
            building[0] -= 1

    monkeypatch.setattr(routing, "get_router_class", lambda service, protocol: SlowRouter)
    router = routing.ServiceOperationRouter(routing.get_service_model("sqs"))
    # When four first requests need routers at once
    _run([threading.Thread(target=router._get_router, args=(p,)) for p in ("json", "query", "rest-json", "rest-xml")])
    # Then the routers were built one after another (CPython 3.11's parser is not thread-safe)
    assert (most[0], len(router._routers)) == (1, 4)

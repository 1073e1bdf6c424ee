"""The end-to-end session's destroy check (tests/e2e/leftovers.py) sees what a destroy leaves behind."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import boto3
import pytest
from moto import mock_aws

from tests.e2e.leftovers import leftovers
from tests.fake_aws import use_fake_aws


@dataclass
class States:
    """Stands in for a Deployment: each stack's terraform state addresses."""

    by_stack: dict[str, list[str]]
    workspace: str = "local"

    def stacks(self) -> list[str]:
        return list(self.by_stack)

    def state_resources(self, stack: str) -> list[str]:
        return self.by_stack[stack]


@pytest.fixture
def moto(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    use_fake_aws(monkeypatch)
    with mock_aws():
        yield


def test_a_clean_destroy_leaves_an_empty_report(moto: None) -> None:
    # Given empty states and only resources that are not ours
    boto3.client("s3").create_bucket(Bucket="someone-elses-bucket")
    # When the leftovers are listed, Then there are none
    assert leftovers(States({"storage-local": [], "api-local": []})) == {}  # type: ignore[arg-type]


def test_resources_and_state_left_behind_are_reported_by_kind(moto: None) -> None:
    # Given a bucket and a queue of ours, and an address still in a stack's state
    boto3.client("s3").create_bucket(Bucket="txnpipe-raw-local-123456789012")
    boto3.client("sqs").create_queue(QueueName="txnpipe-anomaly-dlq-local")
    # When the leftovers are listed
    found = leftovers(States({"storage-local": [], "api-local": ["aws_sqs_queue.dlq"]}))  # type: ignore[arg-type]
    # Then each is named under its kind, and nothing else is reported
    assert found.pop("state of api-local") == ["aws_sqs_queue.dlq"]
    assert found.pop("buckets") == ["txnpipe-raw-local-123456789012"]
    assert [url.rsplit("/", 1)[-1] for url in found.pop("queues")] == ["txnpipe-anomaly-dlq-local"]
    assert found == {}


def test_another_workspace_in_the_same_emulator_is_not_a_leftover(moto: None) -> None:
    # Given prod's and pr-10's tables beside nothing of pr-1
    for name in ("txnpipe-files-prod", "txnpipe-files-pr-10"):
        boto3.client("dynamodb").create_table(TableName=name, BillingMode="PAY_PER_REQUEST",
                                              KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}],
                                              AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}])
    # When pr-1's leftovers are listed, Then there are none
    assert leftovers(States({"storage-pr-1": []}, workspace="pr-1")) == {}  # type: ignore[arg-type]

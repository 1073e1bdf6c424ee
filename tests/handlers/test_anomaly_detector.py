"""Anomaly detector with real DynamoDB stream record shapes: one alert per hit, poison isolated."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest
from boto3.dynamodb.conditions import Key
from boto3.dynamodb.types import TypeSerializer

from stacks.storage.stack import AUDIT
from tests.fake_aws import create_table
from tests.handlers.conftest import FakeContext
from tests.handlers.test_api_support import create_transactions_table, drain

_serialize = TypeSerializer().serialize
_sequence = iter(range(10**6, 10**7))


def txn(tid: str, *, account: str = "A1", amount_minor: int = 1000, ts: str = "2026-11-25T10:00:00Z") -> dict[str, Any]:
    return {"transaction_key": f"acme#{tid}", "account_key": f"acme#{account}", "partner_id": "acme",
            "transaction_id": tid, "account_id": account, "currency": "USD", "amount": str(amount_minor / 100),
            "amount_minor": amount_minor, "signed_amount_minor": -amount_minor, "transaction_type": "DEBIT",
            "timestamp_utc": ts}


def record(item: dict[str, Any], event_name: str = "INSERT") -> dict[str, Any]:
    """A stream record exactly as Lambda delivers it (NEW_AND_OLD_IMAGES)."""
    image = {k: _serialize(v) for k, v in item.items()}
    return {
        "eventID": f"e{next(_sequence)}", "eventName": event_name, "eventVersion": "1.1", "eventSource": "aws:dynamodb",
        "awsRegion": "us-east-1",
        "dynamodb": {"ApproximateCreationDateTime": 1764064800, "Keys": {"transaction_key": image["transaction_key"]},
                     "NewImage": image, "SequenceNumber": str(next(_sequence)), "SizeBytes": 321,
                     "StreamViewType": "NEW_AND_OLD_IMAGES"},
        "eventSourceARN": "arn:aws:dynamodb:us-east-1:123456789012:table/transactions/stream/2026-11-25T00:00:00.000",
    }


@pytest.fixture
def env(aws: None, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    sns, sqs = boto3.client("sns"), boto3.client("sqs")
    topic = sns.create_topic(Name="alerts")["TopicArn"]
    url = sqs.create_queue(QueueName="alerts-inbox")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn, Attributes={"RawMessageDelivery": "true"})
    for key, value in {"TRANSACTIONS_TABLE": "transactions", "AUDIT_TABLE": "audit", "ALERT_TOPIC_ARN": topic}.items():
        monkeypatch.setenv(key, value)
    return {"table": create_transactions_table(), "audit": create_table(AUDIT),
            "alerts": url}


def deliver(env: dict[str, Any], items: list[dict[str, Any]], *, extra: list[dict[str, Any]] = ()) -> dict[str, Any]:  # type: ignore[assignment]
    """Store the items (as the writer would) and hand their stream records to the handler."""
    from anomaly_detector.handler import handler

    for item in items:
        env["table"].put_item(Item=item)
    return handler({"Records": [*(record(i) for i in items), *extra]}, FakeContext())  # type: ignore[arg-type]


def test_an_amount_over_the_currency_threshold_alerts_once_with_evidence(env: dict[str, Any]) -> None:
    # Given a large transaction and a small one, When their records are delivered
    result = deliver(env, [txn("T-big", amount_minor=1_500_000), txn("T-small", account="A2")])
    # Then the batch succeeds and only the large one alerts, with its evidence
    assert result == {"batchItemFailures": []}
    (alert,) = drain(env["alerts"])
    assert alert["rule"] == "LARGE_AMOUNT"
    assert alert["transaction_key"] == "acme#T-big"
    assert alert["evidence"] == {"amount_minor": 1_500_000, "currency": "USD", "threshold_minor": 1_000_000}
    # And the hit is audited once
    (entry,) = env["audit"].query(KeyConditionExpression=Key("entity_id").eq("transaction#acme#T-big"))["Items"]
    assert entry["event_key"] == "anomaly#LARGE_AMOUNT"
    assert entry["event"] == "AnomalyDetected"


def test_a_velocity_burst_alerts_exactly_once(env: dict[str, Any]) -> None:
    # Given 8 transactions of one account within 8 minutes, When they are delivered
    burst = [txn(f"T-{i}", ts=f"2026-11-25T10:0{i}:00Z") for i in range(8)]
    deliver(env, burst)
    # Then one VELOCITY alert names the 5th inside one 5-minute window and its 5 transactions
    alerts = drain(env["alerts"])
    assert [a["rule"] for a in alerts] == ["VELOCITY"]
    assert alerts[0]["transaction_key"] == "acme#T-4"
    assert alerts[0]["evidence"]["count"] == 5
    assert len(alerts[0]["evidence"]["transaction_keys"]) == 5


def test_spread_out_transactions_do_not_alert(env: dict[str, Any]) -> None:
    # Given one transaction an hour, When they are delivered, Then nothing alerts
    deliver(env, [txn(f"T-{i}", ts=f"2026-11-25T1{i}:00:00Z") for i in range(6)])
    assert drain(env["alerts"]) == []


def test_a_poison_record_is_a_batch_item_failure_and_does_not_block_the_others(env: dict[str, Any]) -> None:
    # Given a malformed record before a large transaction
    poison = record({"transaction_key": "acme#T-bad", "amount_minor": "not a number"})
    later = txn("T-big-after", amount_minor=2_000_000)
    from anomaly_detector.handler import handler

    env["table"].put_item(Item=later)
    # When the batch is handled
    result = handler({"Records": [poison, record(later)]}, FakeContext())  # type: ignore[arg-type]
    # Then only the poison record is reported failed, and the later one still alerts
    assert result == {"batchItemFailures": [{"itemIdentifier": poison["dynamodb"]["SequenceNumber"]}]}
    assert [a["transaction_key"] for a in drain(env["alerts"])] == ["acme#T-big-after"]


def test_a_redelivered_batch_does_not_alert_twice(env: dict[str, Any]) -> None:
    # Given a batch delivered once, When it is delivered again, Then there is still one alert
    items = [txn("T-big", amount_minor=1_500_000)]
    deliver(env, items)
    deliver(env, items)
    assert len(drain(env["alerts"])) == 1


def test_updates_and_deletes_are_not_evaluated(env: dict[str, Any]) -> None:
    from anomaly_detector.handler import handler

    # Given a large transaction's MODIFY and REMOVE records, When they are handled, Then nothing alerts
    big = txn("T-big", amount_minor=1_500_000)
    handler({"Records": [record(big, "MODIFY"), record(big, "REMOVE")]}, FakeContext())  # type: ignore[arg-type]
    assert drain(env["alerts"]) == []


def test_alert_messages_are_json(env: dict[str, Any]) -> None:
    # Given a large transaction, When it alerts, Then the message is JSON with a summary naming it
    deliver(env, [txn("T-big", amount_minor=1_500_000)])
    (alert,) = drain(env["alerts"])
    assert json.loads(json.dumps(alert))["summary"].startswith("T-big:")

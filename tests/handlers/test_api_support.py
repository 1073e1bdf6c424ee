"""Shared set-up of the API handler tests (no tests here): moto resources and proxy events."""

from __future__ import annotations

import json
from typing import Any

import boto3

from stacks.storage.stack import TRANSACTIONS
from tests.fake_aws import create_table

PARTNER_KEYS = {"key-acme": "acme", "key-globex": "globex"}
RAW_BUCKET = "raw"
BUS = "txnpipe-events-test"


def api_event(method: str, resource: str, *, key_id: str | None = "key-acme", body: object = None,
              path: dict[str, str] | None = None, raw: str | None = None) -> dict[str, Any]:
    """A Lambda proxy event as API Gateway (REST) sends it."""
    text = raw if raw is not None else (None if body is None else json.dumps(body))
    return {
        "resource": resource, "httpMethod": method, "path": resource, "body": text, "isBase64Encoded": False,
        "pathParameters": path, "headers": {"x-api-key": "secret-value-never-read"},
        "requestContext": {"identity": {"apiKeyId": key_id, "sourceIp": "203.0.113.9"}, "requestId": "r-1"},
    }


def assert_error_shape(body: dict[str, Any], *, request_id: str = "r-1") -> None:
    """The one error shape of the API: message, reasons (list of str, maybe empty), request id; nothing else."""
    assert set(body) == {"message", "reasons", "request_id"}, body
    assert isinstance(body["message"], str), body
    assert body["message"], body
    assert isinstance(body["reasons"], list), body
    assert all(isinstance(r, str) for r in body["reasons"]), body
    assert body["request_id"] == request_id, body


def create_transactions_table() -> Any:
    """The transactions table (named `transactions`) with its account index, from stacks/storage/stack.py's spec."""
    return create_table(TRANSACTIONS)


def bus_capture_queue() -> str:
    """A custom bus whose events all land in an SQS queue; returns the queue URL."""
    events, sqs = boto3.client("events"), boto3.client("sqs")
    events.create_event_bus(Name=BUS)
    url = sqs.create_queue(QueueName="captured-events")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    events.put_rule(Name="all", EventBusName=BUS, EventPattern=json.dumps({"source": ["txnpipe.api"]}))
    events.put_targets(Rule="all", EventBusName=BUS, Targets=[{"Id": "q", "Arn": arn}])
    return url


def drain(queue_url: str) -> list[dict[str, Any]]:
    """Every message body currently in the queue (JSON-decoded)."""
    sqs, out = boto3.client("sqs"), []
    while True:
        messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10).get("Messages", [])
        if not messages:
            return out
        for message in messages:
            out.append(json.loads(message["Body"]))
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])

"""Run the synthesized file state machine in moto's Step Functions with the real handlers.

Resources are created in moto from the synthesized JSON (names, keys, environment), the
definition is taken from cdktf.out with its references resolved, and each Lambda task runs
the real handler in this process, with that function's own environment variables.
"""

from __future__ import annotations

import importlib
import json
import os
import threading
import time
import traceback
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import boto3
from moto.awslambda.models import LambdaFunction

from tests.lambda_context import FakeContext
from tests.resolve import Resolver
from tests.synth import Synth
from txnpipe import clients

# Each invocation runs in its function's environment (read by the handler's cold import and by boto3): one at a time.
_ENV_LOCK = threading.RLock()
Fault = Callable[[str, dict[str, Any]], None]




@dataclass
class InProcessLambdas:
    """Replacement for moto's docker-based invoke: import the handler and call it."""

    fault: Fault | None = None
    calls: list[str] = field(default_factory=list)

    def moto_invoke(self, function: LambdaFunction, body: str, request_headers: Any, response_headers: Any) -> bytes:
        """Stands in for `LambdaFunction.invoke` (the Lambda Invoke API inside moto)."""
        payload, errored, _ = self.invoke(function, json.loads(body) if body else {})
        if errored:
            response_headers["x-amz-function-error"] = "Unhandled"
        return payload.encode()

    def invoke(self, function: LambdaFunction, event: Any) -> tuple[str, bool, str]:
        module, _, name = function.handler.rpartition(".")
        with _ENV_LOCK, _environment(function.environment_vars):
            self.calls.append(function.function_name)
            try:
                if self.fault is not None:
                    self.fault(function.function_name, event)
                result = getattr(importlib.import_module(module), name)(event, FakeContext())
            except Exception as error:  # reported to Step Functions as the function's error
                payload = {"errorType": type(error).__name__, "errorMessage": str(error),
                           "stackTrace": traceback.format_exception(error)[-3:]}
                return json.dumps(payload), True, ""
        return json.dumps(result), False, ""


@contextmanager
def _environment(variables: dict[str, str]) -> Iterator[None]:
    saved = dict(os.environ)
    os.environ.update(variables)
    clients.reset()
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


@dataclass
class DeployedPipeline:
    """The storage + processing resources the state machine needs, created in moto."""

    synth: Synth
    storage: Resolver = field(init=False)
    processing: Resolver = field(init=False)
    machine_arn: str = ""
    buckets: dict[str, str] = field(default_factory=dict)
    tables: dict[str, str] = field(default_factory=dict)
    alert_queue_url: str = ""

    def __post_init__(self) -> None:
        self.storage = Resolver(self.synth, "storage")
        self.processing = Resolver(self.synth, "processing")

    def create(self) -> DeployedPipeline:
        self._storage()
        self._functions()
        machine = next(iter(self.synth.resources("processing", "aws_sfn_state_machine").values()))
        self.machine_arn = boto3.client("stepfunctions").create_state_machine(
            name=machine["name"], definition=self.processing.text(machine["definition"]),
            roleArn="arn:aws:iam::123456789012:role/sfn")["stateMachineArn"]
        return self

    def _storage(self) -> None:
        s3 = boto3.client("s3")
        for body in self.synth.resources("storage", "aws_s3_bucket").values():
            name = self.storage.text(body["bucket"])
            s3.create_bucket(Bucket=name)
            s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})
            self.buckets[body["//"]["metadata"]["path"].split("/")[1]] = name
        for body in self.synth.resources("storage", "aws_dynamodb_table").values():
            self.tables[body["name"].split("-")[1]] = _create_table(body)
        boto3.client("events").create_event_bus(Name=self.storage.text("${aws_cloudwatch_event_bus.event-bus.name}"))
        topic = next(iter(self.synth.resources("storage", "aws_sns_topic").values()))
        topic_arn = boto3.client("sns").create_topic(Name=topic["name"])["TopicArn"]
        sqs = boto3.client("sqs")
        self.alert_queue_url = sqs.create_queue(QueueName="alert-capture")["QueueUrl"]
        queue_arn = sqs.get_queue_attributes(QueueUrl=self.alert_queue_url, AttributeNames=["QueueArn"])
        boto3.client("sns").subscribe(TopicArn=topic_arn, Protocol="sqs",
                                      Endpoint=queue_arn["Attributes"]["QueueArn"])

    def _functions(self) -> None:
        iam = boto3.client("iam")
        role = iam.create_role(RoleName="fn", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
        for body in self.synth.resources("processing", "aws_lambda_function").values():
            boto3.client("lambda").create_function(
                FunctionName=body["function_name"], Runtime=body["runtime"], Role=role, Handler=body["handler"],
                Code={"ZipFile": b"in-process"}, Timeout=body["timeout"],
                Environment={"Variables": self.processing.deep(body["environment"]["variables"])},
            )

    def run(self, event: dict[str, Any], timeout_s: float = 90) -> dict[str, Any]:
        """Start an execution with `event` and wait for its end."""
        sfn = boto3.client("stepfunctions")
        arn = sfn.start_execution(stateMachineArn=self.machine_arn, name=uuid.uuid4().hex,
                                 input=json.dumps(event))["executionArn"]
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            execution = sfn.describe_execution(executionArn=arn)
            if execution["status"] != "RUNNING":
                return {**execution, "cause": _why(sfn, arn) or execution.get("cause")}
            time.sleep(0.2)
        raise AssertionError(f"execution still running after {timeout_s}s")

    def upload(self, key: str, body: bytes) -> dict[str, Any]:
        """PUT a raw object and return the EventBridge event S3 would emit for it."""
        bucket = self.buckets["raw"]
        put = boto3.client("s3").put_object(Bucket=bucket, Key=key, Body=body)
        return {"version": "0", "source": "aws.s3", "detail-type": "Object Created", "detail": {
            "bucket": {"name": bucket},
            "object": {"key": key, "size": len(body), "version-id": put.get("VersionId")}}}

    def file(self, key: str) -> dict[str, Any]:
        """The files-table item of the newest version of `key`."""
        items = boto3.resource("dynamodb").Table(self.tables["files"]).scan()["Items"]
        return max((i for i in items if i["object_key"] == key), key=lambda i: i["received_at"])


def _why(sfn: Any, arn: str) -> str:
    """The first failure recorded in the execution's history (for readable assertion messages)."""
    for event in sfn.get_execution_history(executionArn=arn)["events"]:
        for key, details in event.items():
            if key.endswith("FailedEventDetails") and isinstance(details, dict):
                return f"{event['type']}: {details.get('error')}: {details.get('cause')}"
    return ""


def _create_table(body: dict[str, Any]) -> str:
    keys = [{"AttributeName": body["hash_key"], "KeyType": "HASH"}]
    if body.get("range_key"):
        keys.append({"AttributeName": body["range_key"], "KeyType": "RANGE"})
    args: dict[str, Any] = {
        "TableName": body["name"], "KeySchema": keys, "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [{"AttributeName": a["name"], "AttributeType": a["type"]} for a in body["attribute"]],
    }
    if body.get("global_secondary_index"):
        args["GlobalSecondaryIndexes"] = [{
            "IndexName": g["name"], "Projection": {"ProjectionType": "ALL"},
            "KeySchema": [{"AttributeName": g["hash_key"], "KeyType": "HASH"}]
            + ([{"AttributeName": g["range_key"], "KeyType": "RANGE"}] if g.get("range_key") else [])}
            for g in body["global_secondary_index"]]
    boto3.client("dynamodb").create_table(**args)
    return str(body["name"])

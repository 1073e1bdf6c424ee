"""Drive the deployed pipeline in the emulator: find its resources, push data, wait for outcomes.

Shared by `make demo` and the end-to-end tests. Everything is discovered from the emulator (names
follow `txnpipe-<purpose>-local`), so parts a stack does not have yet are reported as missing
instead of crashing.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Any

import boto3
from boto3.dynamodb.conditions import Attr, ConditionBase

from localcloud.patches.apigateway import invoke_url

TERMINAL = ("COMPLETED", "COMPLETED_WITH_ERRORS", "REJECTED", "FAILED")
HEADER = "transaction_id,account_id,amount,currency,transaction_type,timestamp,merchant_id,description"


def csv_rows(prefix: str, n: int, *, start: int = 1, accounts: int = 7) -> list[str]:
    """`n` valid CSV rows over `accounts` accounts (few accounts: bursts the velocity rule sees)."""
    return [f"{prefix}-{i:05d},acct-{i % accounts},{10 + i}.25,USD,DEBIT,2026-11-01T10:{i % 60:02d}:00Z,m-{i % 3},"
            f"row {i}" for i in range(start, start + n)]


def clean_csv(n: int = 25) -> bytes:
    return ("\n".join([HEADER, *csv_rows("clean", n)]) + "\n").encode()


def csv_with_bad_rows() -> bytes:
    rows = csv_rows("mixed", 8)
    rows += [
        "mixed-bad-1,acct-1,-5.00,USD,DEBIT,2026-11-01T10:00:00Z,,negative amount",
        "mixed-bad-2,acct-1,1.234,USD,DEBIT,2026-11-01T10:00:00Z,,three decimals",
        "mixed-bad-3,acct-1,10.00,XXX,DEBIT,2026-11-01T10:00:00Z,,unknown currency",
        "mixed-bad-4,acct-1,10.00,USD,DEBIT,2026-11-01T10:00:00,,naive timestamp",
        "mixed-00001,acct-1,10.00,USD,DEBIT,2026-11-01T10:00:00Z,,duplicate id",
    ]
    return ("\n".join([HEADER, *rows]) + "\n").encode()


def json_file(n: int = 6) -> bytes:
    items = [{"transaction_id": f"json-{i}", "account_id": f"acct-{i}", "amount": f"{i}.50", "currency": "EUR",
              "transaction_type": "CREDIT", "timestamp": "2026-11-02T08:00:00+01:00", "description": "json row"}
             for i in range(1, n + 1)]
    items.append({"transaction_id": "json-bad", "account_id": "acct-x", "amount": "1", "currency": "EUR",
                  "transaction_type": "REFUND", "timestamp": "2026-11-02T08:00:00Z"})
    return json.dumps(items).encode()


UNREADABLE = b"\xff\xfe\x00\x00\x9c not utf-8 at all \x81\x8d"


def transaction(tid: str, amount: str = "12.34", **extra: str) -> dict[str, str]:
    return {"transaction_id": tid, "account_id": "acct-api-1", "amount": amount, "currency": "USD",
            "transaction_type": "DEBIT", "timestamp": "2026-11-03T12:00:00Z", "merchant_id": "m-1", **extra}


@dataclass
class FileOutcome:
    label: str
    key: str
    status: str = "-"
    seconds: float | None = None
    item: dict[str, Any] = field(default_factory=dict)
    note: str = ""


@dataclass
class Pipeline:
    """What the deployment has, found by name in the emulator."""

    endpoint: str
    region: str = "us-east-1"
    buckets: dict[str, str] = field(default_factory=dict)
    tables: dict[str, str] = field(default_factory=dict)
    queues: dict[str, str] = field(default_factory=dict)  # name -> url
    topic_arn: str | None = None
    state_machine_arn: str | None = None
    api_url: str | None = None
    api_keys: dict[str, str] = field(default_factory=dict)  # key name -> value
    kms_key_arn: str | None = None  # the pipeline's key: the raw bucket's default encryption key

    @classmethod
    def discover(cls, endpoint: str, region: str = "us-east-1") -> Pipeline:
        found = cls(endpoint=endpoint, region=region)
        s3 = boto3.client("s3")
        for bucket in s3.list_buckets()["Buckets"]:
            name = bucket["Name"]
            if name.startswith("txnpipe-") and "-local-" in name:
                found.buckets[name.split("-")[1] if not name.startswith("txnpipe-access-logs") else "access-logs"] = name
        found.kms_key_arn = _default_key(s3, found.buckets.get("raw"))
        for table in boto3.client("dynamodb").list_tables()["TableNames"]:
            if table.startswith("txnpipe-") and table.endswith("-local"):
                found.tables[table.removeprefix("txnpipe-").removesuffix("-local")] = table
        for url in boto3.client("sqs").list_queues().get("QueueUrls", []):
            name = url.rsplit("/", 1)[-1]
            if name.startswith("txnpipe-"):
                found.queues[name] = url
        topics = [t["TopicArn"] for t in boto3.client("sns").list_topics()["Topics"]]
        found.topic_arn = next((t for t in topics if t.endswith(":txnpipe-alerts-local")), None)
        machines = boto3.client("stepfunctions").list_state_machines()["stateMachines"]
        found.state_machine_arn = next((m["stateMachineArn"] for m in machines if m["name"].startswith("txnpipe-")), None)
        gateway = boto3.client("apigateway")
        apis = [a for a in gateway.get_rest_apis()["items"] if a["name"].startswith("txnpipe-")]
        if apis:
            stages = gateway.get_stages(restApiId=apis[0]["id"])["item"]
            if stages:
                found.api_url = invoke_url(endpoint, apis[0]["id"], stages[0]["stageName"])
            found.api_keys = {k["name"]: k["value"] for k in gateway.get_api_keys(includeValues=True)["items"]}
        return found

    # -- alerts -----------------------------------------------------------------------------
    def subscribe_alerts(self, queue_name: str = "localcloud-alerts-test") -> str | None:
        """A test subscription: an SQS queue on the alert topic. Returns its URL."""
        if self.topic_arn is None:
            return None
        sqs = boto3.client("sqs")
        url = sqs.create_queue(QueueName=queue_name)["QueueUrl"]
        arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        boto3.client("sns").subscribe(TopicArn=self.topic_arn, Protocol="sqs", Endpoint=arn,
                                      Attributes={"RawMessageDelivery": "true"})
        return url

    @staticmethod
    def drain(url: str, wait_s: float = 1.0) -> list[dict[str, Any]]:
        sqs, out = boto3.client("sqs"), []
        deadline = time.time() + wait_s
        while True:
            messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1).get("Messages", [])
            for message in messages:
                try:
                    out.append(json.loads(message["Body"]))
                except ValueError:
                    out.append({"raw": message["Body"]})
                sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
            if not messages and time.time() >= deadline:
                return out

    def dlq_depths(self) -> dict[str, int]:
        sqs, depths = boto3.client("sqs"), {}
        for name, url in sorted(self.queues.items()):
            if "dlq" in name:
                attributes = sqs.get_queue_attributes(
                    QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"])
                depths[name] = sum(int(v) for v in attributes["Attributes"].values())
        return depths

    # -- files ------------------------------------------------------------------------------
    def upload_args(self) -> dict[str, str]:
        """What a partner's direct upload must send (boto3 ExtraArgs): SSE-KMS with the pipeline's key.

        The raw bucket's policy denies `s3:PutObject` under `uploads/` without exactly these.
        """
        if self.kms_key_arn is None:
            raise RuntimeError("no pipeline KMS key found: the raw bucket has no SSE-KMS default encryption")
        return {"ServerSideEncryption": "aws:kms", "SSEKMSKeyId": self.kms_key_arn}

    def upload_commands(self, path: str, key: str) -> tuple[str, str]:
        """The documented direct upload of `path` to `key`: the AWS CLI line and the boto3 call."""
        bucket, args = self.buckets["raw"], self.upload_args()
        cli = f"aws s3 cp {path} s3://{bucket}/{key} --sse aws:kms --sse-kms-key-id {args['SSEKMSKeyId']}"
        return cli, f"boto3.client('s3').upload_file({path!r}, {bucket!r}, {key!r}, ExtraArgs={args!r})"

    def upload(self, key: str, body: bytes) -> float:
        """PUT a partner file as the README documents it (SSE-KMS with the pipeline's key); the time sent."""
        boto3.client("s3").put_object(Bucket=self.buckets["raw"], Key=key, Body=body, **self.upload_args())  # type: ignore[arg-type]
        return time.time()

    def items(self, table: str, where: ConditionBase | None = None) -> list[dict[str, Any]]:
        """Every item of one of the pipeline's tables (`transactions`, `audit`, ...), all pages, `where` it holds."""
        args: dict[str, Any] = {"TableName": self.tables[table]}
        if where is not None:
            args["FilterExpression"] = where
        pages = boto3.resource("dynamodb").meta.client.get_paginator("scan").paginate(**args)
        return [item for page in pages for item in page["Items"]]

    def file_items(self, key: str) -> list[dict[str, Any]]:
        """The status records of the file uploaded under `key`."""
        return self.items("files", Attr("object_key").eq(key) | Attr("key").eq(key))

    def wait_terminal(self, outcome: FileOutcome, started: float, timeout_s: float = 180) -> FileOutcome:
        deadline = started + timeout_s
        while time.time() < deadline:
            items = self.file_items(outcome.key)
            if items and str(items[0].get("status")) in TERMINAL:
                outcome.item, outcome.status = items[0], str(items[0]["status"])
                outcome.seconds = time.time() - started
                return outcome
            if items:
                outcome.status = str(items[0].get("status"))
            time.sleep(0.5)
        outcome.note = f"no terminal status after {timeout_s:.0f}s"
        return outcome

    def executions(self) -> list[dict[str, Any]]:
        if self.state_machine_arn is None:
            return []
        sfn = boto3.client("stepfunctions")
        return list(sfn.list_executions(stateMachineArn=self.state_machine_arn, maxResults=1000)["executions"])

    def execution_input_for(self, key: str) -> str | None:
        sfn = boto3.client("stepfunctions")
        for execution in self.executions():
            text = sfn.describe_execution(executionArn=execution["executionArn"]).get("input") or ""
            if key in text:
                return text
        return None

    def redeliver(self, key: str) -> str | None:
        """EventBridge delivers at least once: start the state machine again with the same event."""
        text = self.execution_input_for(key)
        if text is None or self.state_machine_arn is None:
            return None
        return str(boto3.client("stepfunctions").start_execution(stateMachineArn=self.state_machine_arn,
                                                                  input=text)["executionArn"])

    # -- API --------------------------------------------------------------------------------
    def call(self, method: str, path: str, body: Any = None, *, key: str | None = None,
             headers: dict[str, str] | None = None) -> tuple[int, Any]:
        if self.api_url is None:
            raise RuntimeError("the pipeline has no REST API with a stage (was the api stack deployed?)")
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(  # noqa: S310 - the loopback emulator
            f"{self.api_url}{path}", data=data, method=method,
            headers={"Content-Type": "application/json", **({"x-api-key": key} if key else {}), **(headers or {})})
        try:
            with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            raw = error.read()
            try:
                return error.code, json.loads(raw or b"null")
            except ValueError:
                return error.code, raw.decode(errors="replace")


def _default_key(s3: Any, bucket: str | None) -> str | None:
    """The KMS key ARN of a bucket's SSE-KMS default encryption."""
    if bucket is None:
        return None
    rules = s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]["Rules"]
    keys = [r["ApplyServerSideEncryptionByDefault"].get("KMSMasterKeyID") for r in rules]
    return next((str(k) for k in keys if k), None)

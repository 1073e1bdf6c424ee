"""Event source mappings: background pollers with filters, batching, partial failures and on-failure destinations."""

from __future__ import annotations

import json
import time

import boto3

from localcloud.emulator import Emulator
from tests.localcloud.helpers import function

RECORDER = '''
import boto3, json, os
def handler(event, context):
    records = event["Records"]
    failures = []
    for r in records:
        image = r.get("dynamodb", {}).get("NewImage", {})
        body = r.get("body")
        if (image.get("fail") or {}).get("BOOL") or body == "fail":
            failures.append(r["dynamodb"]["SequenceNumber"] if "dynamodb" in r else r["messageId"])
    boto3.client("sqs").send_message(QueueUrl=os.environ["OUT"], MessageBody=json.dumps(
        {"n": len(records), "names": [r.get("eventName") for r in records], "failures": len(failures)}))
    if os.environ.get("RAISE") and failures:
        raise RuntimeError("bad record")
    return {"batchItemFailures": [{"itemIdentifier": f} for f in failures]}
'''


def _queue(name: str) -> tuple[str, str]:
    sqs = boto3.client("sqs")
    url = sqs.create_queue(QueueName=name)["QueueUrl"]
    return url, sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]


def _drain(url: str, seconds: float = 6.0) -> list[dict[str, object]]:
    sqs, out, deadline = boto3.client("sqs"), [], time.time() + seconds
    while time.time() < deadline:
        for m in sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1).get("Messages", []):
            out.append(json.loads(m["Body"]))
            sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
    return out


def test_dynamodb_stream_mapping_filters_batches_and_dead_letters(emulator: Emulator) -> None:
    ddb, lam = boto3.client("dynamodb"), boto3.client("lambda")
    stream = ddb.create_table(
        TableName="lc-esm-table", KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}], BillingMode="PAY_PER_REQUEST",
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
    )["TableDescription"]["LatestStreamArn"]
    out_url, _ = _queue("lc-esm-out")
    dlq_url, dlq_arn = _queue("lc-esm-dlq")
    arn = function("lc-esm-fn", RECORDER, Environment={"Variables": {"OUT": out_url, "RAISE": "1"}})
    lam.create_event_source_mapping(
        FunctionName=arn, EventSourceArn=stream, StartingPosition="TRIM_HORIZON", BatchSize=10,
        MaximumBatchingWindowInSeconds=1, MaximumRetryAttempts=1, BisectBatchOnFunctionError=True,
        FunctionResponseTypes=["ReportBatchItemFailures"],
        FilterCriteria={"Filters": [{"Pattern": json.dumps({"eventName": ["INSERT"]})}]},
        DestinationConfig={"OnFailure": {"Destination": dlq_arn}},
    )
    started = time.time()
    for i in range(5):
        ddb.put_item(TableName="lc-esm-table", Item={"id": {"S": f"i{i}"}})
    assert time.time() - started < 2, "writes must not wait for the function"
    ddb.update_item(TableName="lc-esm-table", Key={"id": {"S": "i0"}}, UpdateExpression="SET x = :x",
                    ExpressionAttributeValues={":x": {"N": "1"}})  # MODIFY: filtered out
    calls = _drain(out_url)
    assert sum(c["n"] for c in calls) == 5 and all(c["names"] == ["INSERT"] * c["n"] for c in calls)
    assert len(calls) <= 2  # batched, not one invocation per record
    ddb.put_item(TableName="lc-esm-table", Item={"id": {"S": "bad"}, "fail": {"BOOL": True}})
    _drain(out_url, 8)
    failures = boto3.client("sqs").receive_message(QueueUrl=dlq_url, WaitTimeSeconds=5).get("Messages", [])
    assert failures, "a record that keeps failing ends at the on-failure destination"
    info = json.loads(failures[0]["Body"])
    assert info["requestContext"]["condition"] == "RetryAttemptsExhausted" and info["DDBStreamBatchInfo"]["batchSize"] == 1


def test_sqs_mapping_deletes_processed_and_keeps_reported_failures(emulator: Emulator) -> None:
    lam, sqs = boto3.client("lambda"), boto3.client("sqs")
    out_url, _ = _queue("lc-esm-sqs-out")
    src_url = sqs.create_queue(QueueName="lc-esm-sqs-src", Attributes={"VisibilityTimeout": "1"})["QueueUrl"]
    src_arn = sqs.get_queue_attributes(QueueUrl=src_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    arn = function("lc-esm-sqs-fn", RECORDER, Environment={"Variables": {"OUT": out_url}})
    lam.create_event_source_mapping(FunctionName=arn, EventSourceArn=src_arn, BatchSize=10,
                                    FunctionResponseTypes=["ReportBatchItemFailures"])
    sqs.send_message(QueueUrl=src_url, MessageBody="ok")
    sqs.send_message(QueueUrl=src_url, MessageBody="fail")
    calls = _drain(out_url, 6)
    assert sum(c["n"] for c in calls) >= 3  # the failed message came back at least once
    attributes = sqs.get_queue_attributes(QueueUrl=src_url, AttributeNames=["ApproximateNumberOfMessages",
                                                                            "ApproximateNumberOfMessagesNotVisible"])
    assert sum(int(v) for v in attributes["Attributes"].values()) == 1  # only "fail" is left

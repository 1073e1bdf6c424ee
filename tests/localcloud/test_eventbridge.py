"""EventBridge → Step Functions / Lambda / SQS targets, input transformers, DLQ; S3 events on the default bus only."""

from __future__ import annotations

import json

import boto3

from localcloud.emulator import Emulator
from tests.localcloud.helpers import function, role, wait_until

PASS_MACHINE = {"StartAt": "Done", "States": {"Done": {"Type": "Pass", "End": True}}}


def test_s3_object_created_starts_state_machine_with_transformed_input(emulator: Emulator) -> None:
    s3, events, sfn, sqs = (boto3.client(s) for s in ("s3", "events", "stepfunctions", "sqs"))
    s3.create_bucket(Bucket="lc-eb-raw")
    s3.put_bucket_notification_configuration(Bucket="lc-eb-raw", NotificationConfiguration={"EventBridgeConfiguration": {}})
    machine = sfn.create_state_machine(name="lc-eb-machine", definition=json.dumps(PASS_MACHINE),
                                       roleArn=role("lc-eb-sfn", "states.amazonaws.com"))["stateMachineArn"]
    dlq = sqs.get_queue_attributes(QueueUrl=sqs.create_queue(QueueName="lc-eb-dlq")["QueueUrl"],
                                   AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    pattern = {"source": ["aws.s3"], "detail-type": ["Object Created"],
               "detail": {"bucket": {"name": ["lc-eb-raw"]}, "object": {"key": [{"wildcard": "uploads/*/*.csv"}]}}}
    events.put_rule(Name="lc-eb-rule", EventPattern=json.dumps(pattern))
    events.put_targets(Rule="lc-eb-rule", Targets=[{
        "Id": "m", "Arn": machine, "RoleArn": role("lc-eb-events", "events.amazonaws.com"),
        "DeadLetterConfig": {"Arn": dlq},
        "InputTransformer": {"InputPathsMap": {"key": "$.detail.object.key", "time": "$.time"},
                             "InputTemplate": '{"key": <key>, "at": <time>}'}}])
    # a custom bus with a catch-all rule must NOT see S3 events
    events.create_event_bus(Name="lc-eb-custom")
    events.put_rule(Name="lc-eb-custom-all", EventBusName="lc-eb-custom", EventPattern=json.dumps({"source": ["aws.s3"]}))
    custom_q = sqs.create_queue(QueueName="lc-eb-custom-q")["QueueUrl"]
    custom_arn = sqs.get_queue_attributes(QueueUrl=custom_q, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    events.put_targets(Rule="lc-eb-custom-all", EventBusName="lc-eb-custom", Targets=[{"Id": "q", "Arn": custom_arn}])

    s3.put_object(Bucket="lc-eb-raw", Key="uploads/p1/a.csv", Body=b"x")
    s3.put_object(Bucket="lc-eb-raw", Key="uploads/p1/a.txt", Body=b"x")  # no match
    executions = wait_until(lambda: sfn.list_executions(stateMachineArn=machine)["executions"])
    assert len(executions) == 1
    arn = executions[0]["executionArn"]
    detail = wait_until(lambda: (d := sfn.describe_execution(executionArn=arn))["status"] == "SUCCEEDED" and d)
    body = json.loads(detail["input"])
    assert body["key"] == "uploads/p1/a.csv" and body["at"].endswith("Z")  # ISO time, as in AWS
    assert sqs.receive_message(QueueUrl=custom_q).get("Messages") is None


def test_failed_delivery_goes_to_the_target_dlq(emulator: Emulator) -> None:
    events, sqs = boto3.client("events"), boto3.client("sqs")
    url = sqs.create_queue(QueueName="lc-eb-dlq2")["QueueUrl"]
    dlq = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    events.put_rule(Name="lc-eb-broken", EventPattern=json.dumps({"source": ["lc.test"]}))
    missing = "arn:aws:states:us-east-1:123456789012:stateMachine:lc-does-not-exist"
    events.put_targets(Rule="lc-eb-broken", Targets=[{"Id": "m", "Arn": missing, "DeadLetterConfig": {"Arn": dlq}}])
    events.put_events(Entries=[{"Source": "lc.test", "DetailType": "t", "Detail": "{}"}])
    messages = wait_until(lambda: sqs.receive_message(QueueUrl=url, MessageAttributeNames=["All"]).get("Messages"))
    assert messages[0]["MessageAttributes"]["TARGET_ARN"]["StringValue"] == missing


def test_lambda_target_runs_asynchronously(emulator: Emulator) -> None:
    events, sqs = boto3.client("events"), boto3.client("sqs")
    url = sqs.create_queue(QueueName="lc-eb-lambda-out")["QueueUrl"]
    source = (
        "import boto3, json\n"
        f"def handler(event, context):\n    boto3.client('sqs').send_message(QueueUrl={url!r}, MessageBody=json.dumps(event))\n"
    )
    arn = function("lc-eb-target-fn", source)
    events.put_rule(Name="lc-eb-lambda", EventPattern=json.dumps({"source": ["lc.lambda"]}))
    events.put_targets(Rule="lc-eb-lambda", Targets=[{"Id": "f", "Arn": arn}])
    events.put_events(Entries=[{"Source": "lc.lambda", "DetailType": "t", "Detail": json.dumps({"n": 1})}])
    messages = wait_until(lambda: sqs.receive_message(QueueUrl=url, WaitTimeSeconds=1).get("Messages"), timeout=30)
    assert json.loads(messages[0]["Body"])["detail"] == {"n": 1}

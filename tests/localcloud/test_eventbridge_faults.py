"""Injected EventBridge faults: an S3 event reaches a rule twice as one event; a failing target dead-letters at once."""

from __future__ import annotations

import json

import boto3

from localcloud.patches.eventbridge_faults import deliver_s3_events_twice, fail_deliveries

BUCKET = "lc-ebf-uploads"


def _bucket_rule_to_queue(rule: str) -> tuple[str, str, str]:
    """A bucket sending its events to EventBridge, a rule on the default bus → a queue, and a DLQ for it."""
    s3, sqs, events = boto3.client("s3"), boto3.client("sqs"), boto3.client("events")
    s3.create_bucket(Bucket=BUCKET) if BUCKET not in [b["Name"] for b in s3.list_buckets()["Buckets"]] else None
    s3.put_bucket_notification_configuration(Bucket=BUCKET, NotificationConfiguration={"EventBridgeConfiguration": {}})
    urls = [sqs.create_queue(QueueName=f"{rule}-{kind}")["QueueUrl"] for kind in ("target", "dlq")]
    target, dlq = (sqs.get_queue_attributes(QueueUrl=u, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
                   for u in urls)
    events.put_rule(Name=rule, EventPattern=json.dumps({"source": ["aws.s3"], "detail-type": ["Object Created"], "detail": {
        "bucket": {"name": [BUCKET]}, "object": {"key": [{"prefix": f"{rule}/"}]}}}))
    events.put_targets(Rule=rule, Targets=[{"Id": "q", "Arn": target, "DeadLetterConfig": {"Arn": dlq}}])
    return urls[0], urls[1], target


def _bodies(url: str) -> list[dict[str, object]]:
    messages = boto3.client("sqs").receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1,
                                                   MessageAttributeNames=["All"]).get("Messages", [])
    return [{"event": json.loads(m["Body"]), "attributes": m.get("MessageAttributes", {})} for m in messages]


def test_an_s3_event_armed_to_repeat_reaches_the_rule_twice_with_one_event_id() -> None:
    # Given a rule for the bucket's uploads, armed to see the next event twice
    url, _, _ = _bucket_rule_to_queue("lc-ebf-twice")
    with deliver_s3_events_twice(BUCKET, times=1) as doubled:
        # When one object is uploaded
        boto3.client("s3").put_object(Bucket=BUCKET, Key="lc-ebf-twice/a.csv", Body=b"x")
    # Then the target receives two copies of one event
    ids = [m["event"]["id"] for m in _bodies(url)]  # type: ignore[index]
    assert (doubled, len(ids), len(set(ids))) == ([1], 2, 1)


def test_a_delivery_armed_to_fail_lands_in_the_dead_letter_queue_with_eventbridges_attributes() -> None:
    # Given a rule whose next delivery to its target fails
    url, dlq, target = _bucket_rule_to_queue("lc-ebf-fail")
    with fail_deliveries(target, times=1) as failed:
        # When an object is uploaded
        boto3.client("s3").put_object(Bucket=BUCKET, Key="lc-ebf-fail/a.csv", Body=b"x")
    # Then nothing reached the target, and the event is in the DLQ with the error and the target named
    dead = _bodies(dlq)
    codes = [m["attributes"]["ERROR_CODE"]["StringValue"] for m in dead]  # type: ignore[index]
    assert (failed, _bodies(url), codes) == ([1], [], ["AccessDeniedException"])

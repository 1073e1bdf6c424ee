"""An armed SNS topic refuses Publish as AWS does when KMS throttles: the caller sees the error, nothing is delivered."""

from __future__ import annotations

import boto3
import pytest
from botocore.exceptions import ClientError

from localcloud.patches.sns_faults import fail_publishes


def _topic_with_queue(name: str) -> tuple[str, str]:
    sns, sqs = boto3.client("sns"), boto3.client("sqs")
    topic = sns.create_topic(Name=name)["TopicArn"]
    url = sqs.create_queue(QueueName=f"{name}-q")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn, Attributes={"RawMessageDelivery": "true"})
    return topic, url


def _received(url: str) -> list[str]:
    return [m["Body"] for m in boto3.client("sqs").receive_message(QueueUrl=url, MaxNumberOfMessages=10,
                                                                   WaitTimeSeconds=1).get("Messages", [])]


def test_an_armed_topic_answers_kms_throttling_with_http_400() -> None:
    # Given a topic whose next publish fails
    topic, _ = _topic_with_queue("lc-sns-fault-code")
    with fail_publishes(topic, times=1), pytest.raises(ClientError) as raised:
        # When a message is published
        boto3.client("sns").publish(TopicArn=topic, Message="m")
    # Then the error is SNS's KMS throttling error
    assert (raised.value.response["Error"]["Code"], raised.value.response["ResponseMetadata"]["HTTPStatusCode"]) == (
        "KMSThrottling", 400)


def test_a_failed_publish_delivers_nothing_and_the_next_one_is_delivered() -> None:
    # Given a topic with a queue subscribed, whose next publish fails
    topic, url = _topic_with_queue("lc-sns-fault-delivery")
    with fail_publishes(topic, times=1) as failures:
        with pytest.raises(ClientError):
            boto3.client("sns").publish(TopicArn=topic, Message="lost")
        # When the caller publishes again
        boto3.client("sns").publish(TopicArn=topic, Message="retried")
    # Then only the second message reached the queue, and one failure was answered
    assert (_received(url), failures) == (["retried"], [1])


def test_other_topics_are_not_affected() -> None:
    armed, _ = _topic_with_queue("lc-sns-fault-armed")
    other, url = _topic_with_queue("lc-sns-fault-other")
    with fail_publishes(armed, times=5):
        boto3.client("sns").publish(TopicArn=other, Message="fine")
    assert _received(url) == ["fine"]

"""Round trips: what terraform wrote, the emulator reads back as AWS does (so a plan after apply is clean)."""

from __future__ import annotations

import boto3
import pytest

from localcloud.emulator import Emulator
from localcloud.patches.s3_notification import with_eventbridge


def test_eventbridge_configuration_reads_back(emulator: Emulator) -> None:
    # Given a bucket whose notification configuration enables EventBridge
    s3 = boto3.client("s3")
    s3.create_bucket(Bucket="lc-notify-eventbridge")
    s3.put_bucket_notification_configuration(Bucket="lc-notify-eventbridge",
                                             NotificationConfiguration={"EventBridgeConfiguration": {}})
    # When it is read back
    answer = s3.get_bucket_notification_configuration(Bucket="lc-notify-eventbridge")
    # Then the answer says so, as S3 does
    assert answer.get("EventBridgeConfiguration") == {}


def test_eventbridge_configuration_absent_when_not_enabled(emulator: Emulator) -> None:
    # Given a bucket with a topic notification only
    s3, sns = boto3.client("s3"), boto3.client("sns")
    topic = sns.create_topic(Name="lc-notify-topic")["TopicArn"]
    s3.create_bucket(Bucket="lc-notify-topic-only")
    s3.put_bucket_notification_configuration(Bucket="lc-notify-topic-only", NotificationConfiguration={
        "TopicConfigurations": [{"TopicArn": topic, "Events": ["s3:ObjectCreated:*"]}]})
    # When it is read back
    answer = s3.get_bucket_notification_configuration(Bucket="lc-notify-topic-only")
    # Then EventBridge is not reported as enabled, and the topic still is
    assert "EventBridgeConfiguration" not in answer
    assert answer["TopicConfigurations"][0]["TopicArn"] == topic


def test_eventbridge_configuration_gone_after_removal(emulator: Emulator) -> None:
    # Given EventBridge delivery that was enabled and then turned off (terraform destroy of the notification)
    s3 = boto3.client("s3")
    s3.create_bucket(Bucket="lc-notify-removed")
    s3.put_bucket_notification_configuration(Bucket="lc-notify-removed",
                                             NotificationConfiguration={"EventBridgeConfiguration": {}})
    s3.put_bucket_notification_configuration(Bucket="lc-notify-removed", NotificationConfiguration={})
    # When it is read back
    answer = s3.get_bucket_notification_configuration(Bucket="lc-notify-removed")
    # Then nothing is enabled
    assert "EventBridgeConfiguration" not in answer


def test_with_eventbridge_fills_a_self_closing_document() -> None:
    body = b'<?xml version="1.0" encoding="utf-8"?>\n<NotificationConfiguration xmlns="x"/>'
    assert with_eventbridge(body).endswith(b'<NotificationConfiguration xmlns="x"><EventBridgeConfiguration/>'
                                           b"</NotificationConfiguration>")


def test_with_eventbridge_refuses_another_document() -> None:
    with pytest.raises(ValueError, match="not a NotificationConfiguration document"):
        with_eventbridge(b"<Error><Code>NoSuchBucket</Code></Error>")


def test_database_tags_read_back_through_an_account_less_arn(emulator: Emulator) -> None:
    # Given a database created with tags (as terraform creates it, default tags included)
    glue = boto3.client("glue")
    glue.create_database(DatabaseInput={"Name": "lc_tags_db"}, Tags={"Project": "txnpipe", "Stack": "processing"})
    # When the provider reads them with the ARN it builds without an account id
    tags = glue.get_tags(ResourceArn=f"arn:aws:glue:{emulator.region}::database/lc_tags_db")["Tags"]
    # Then the tags written on create come back
    assert tags == {"Project": "txnpipe", "Stack": "processing"}


def test_database_tag_changes_through_an_account_less_arn(emulator: Emulator) -> None:
    # Given a tagged database
    glue = boto3.client("glue")
    glue.create_database(DatabaseInput={"Name": "lc_retag_db"}, Tags={"Old": "1"})
    arn = f"arn:aws:glue:{emulator.region}::database/lc_retag_db"
    # When a tag is added and another removed through the account-less ARN
    glue.tag_resource(ResourceArn=arn, TagsToAdd={"New": "2"})
    glue.untag_resource(ResourceArn=arn, TagsToRemove=["Old"])
    # Then the full ARN sees the change
    full = f"arn:aws:glue:{emulator.region}:123456789012:database/lc_retag_db"
    assert glue.get_tags(ResourceArn=full)["Tags"] == {"New": "2"}


"""`AWS/SNS` topic metrics, one set per message a topic accepted.

AWS (SNS Developer Guide, "Monitoring Amazon SNS topics using CloudWatch"): `NumberOfMessagesPublished`
(Count, "the number of messages published to your Amazon SNS topics") and `PublishSize` (Bytes, "the
size of messages published") under the dimension `TopicName`. The dashboard charts the alert topic's
`NumberOfMessagesPublished` next to the anomalies it reports. Delivery metrics
(`NumberOfNotificationsDelivered`/`Failed`) are not published.
"""

from __future__ import annotations

from localcloud.metrics.publish import Datum, put_data

NAMESPACE = "AWS/SNS"


def datapoints(topic_name: str, message: str) -> list[Datum]:
    """NumberOfMessagesPublished and PublishSize of one accepted message."""
    dims = {"TopicName": topic_name}
    return [Datum("NumberOfMessagesPublished", 1, "Count", dims),
            Datum("PublishSize", len(message.encode("utf-8")), "Bytes", dims)]


def publish(topic_arn: str, message: str) -> None:
    """Publish the metrics of `message`, accepted by the topic `topic_arn`."""
    _, _, _, region, account, name = topic_arn.split(":", 5)
    put_data(account, region, NAMESPACE, datapoints(name, message))

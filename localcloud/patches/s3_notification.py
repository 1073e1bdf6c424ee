"""Addition: GetBucketNotificationConfiguration returns the EventBridgeConfiguration it was given.

moto 5.2.5 stores `EventBridgeConfiguration` from `PutBucketNotificationConfiguration` (and sends
the bucket's events to EventBridge) but leaves it out of the Get answer, so after apply
`aws_s3_bucket_notification` read `eventbridge = false` and every plan wanted `false -> true`.
Amazon S3 API Reference, "GetBucketNotificationConfiguration" and the "NotificationConfiguration"
data type: the answer carries an (empty) `EventBridgeConfiguration` element when delivery to
Amazon EventBridge is enabled, and an empty `NotificationConfiguration` when nothing is enabled.
"""

from __future__ import annotations

from typing import Any

EVENTBRIDGE_ELEMENT = b"<EventBridgeConfiguration/>"
CLOSING_TAG = b"</NotificationConfiguration>"


def with_eventbridge(body: bytes) -> bytes:
    """`body` (a NotificationConfiguration XML document) with an empty EventBridgeConfiguration in it."""
    if EVENTBRIDGE_ELEMENT in body:
        return body
    if CLOSING_TAG in body:
        return body.replace(CLOSING_TAG, EVENTBRIDGE_ELEMENT + CLOSING_TAG)
    if body.rstrip().endswith(b"/>") and b"<NotificationConfiguration" in body:
        # An empty document is serialized self-closing: <NotificationConfiguration xmlns="..."/>
        return body.rstrip()[:-2] + b">" + EVENTBRIDGE_ELEMENT + CLOSING_TAG
    raise ValueError(f"not a NotificationConfiguration document: {body[:200]!r}")


def install() -> None:
    """Wrap moto's GetBucketNotificationConfiguration response."""
    from moto.s3.responses import S3Response

    original = S3Response.get_bucket_notification
    if getattr(original, "_localcloud", False):
        return

    def get_bucket_notification(self: Any) -> Any:
        status, headers, body = original(self)
        config = self.backend.get_bucket_notification_configuration(self.bucket_name)
        if status != 200 or config is None or config.event_bridge is None:
            return status, headers, body
        raw = body.encode() if isinstance(body, str) else bytes(body)
        patched = with_eventbridge(raw)
        headers = {**headers, "content-length": str(len(patched))} if "content-length" in headers else headers
        return status, headers, patched

    get_bucket_notification._localcloud = True  # type: ignore[attr-defined]
    S3Response.get_bucket_notification = get_bucket_notification  # type: ignore[method-assign]

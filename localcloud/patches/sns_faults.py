"""Fault injection: SNS `Publish` to an armed topic fails with `KMSThrottling`, as AWS can answer.

AWS documents `KMSThrottlingException` (HTTP 400, code `KMSThrottling`: "The request was denied
due to request throttling") among Publish's errors for a topic encrypted with a KMS key, as the
alert topic is (SNS API Reference, Publish, Errors). botocore does not retry that code, so the
caller sees the failure, as a Lambda publishing alerts would. moto never fails a Publish.

`fail_publishes(topic_arn, times=n)` makes the next `n` Publish calls to that topic fail; the
message is not delivered. Nothing is armed by default.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

_LOCK = threading.Lock()
_ARMED: dict[str, int] = {}  # topic ARN -> failures left
_FAILED: dict[str, int] = {}  # topic ARN -> failures answered while armed


@contextmanager
def fail_publishes(topic_arn: str, *, times: int) -> Iterator[list[int]]:
    """Within the block, the next `times` Publish calls to `topic_arn` fail.

    Yields a list that holds the number of failures answered once the block ends.
    """
    answered: list[int] = []
    with _LOCK:
        _ARMED[topic_arn], _FAILED[topic_arn] = times, 0
    try:
        yield answered
    finally:
        with _LOCK:
            _ARMED.pop(topic_arn, None)
            answered.append(_FAILED.pop(topic_arn, 0))


def _take(topic_arn: str | None) -> bool:
    with _LOCK:
        if not topic_arn or _ARMED.get(topic_arn, 0) <= 0:
            return False
        _ARMED[topic_arn] -= 1
        _FAILED[topic_arn] += 1
        return True


def install() -> None:
    """Wrap moto's SNS Publish handler."""
    from moto.sns.exceptions import SNSException
    from moto.sns.responses import SNSResponse

    class KMSThrottlingException(SNSException):
        code = "KMSThrottlingException"
        message = "The request was denied due to request throttling (injected by the emulator)."

    original = SNSResponse.publish

    def publish(self: Any) -> Any:
        if _take(self._get_param("TopicArn")):
            raise KMSThrottlingException()
        return original(self)

    SNSResponse.publish = publish

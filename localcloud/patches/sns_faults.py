"""Fault injection: SNS `Publish` to an armed topic fails with `KMSThrottling`, as AWS can answer.

AWS documents `KMSThrottlingException` (HTTP 400, code `KMSThrottling`: "The request was denied
due to request throttling") among Publish's errors for a topic encrypted with a KMS key, as the
alert topic is (SNS API Reference, Publish, Errors). botocore does not retry that code, so the
caller sees the failure, as a Lambda publishing alerts would. moto never fails a Publish.

`fail_publishes(topic_arn, times=n)` makes the next `n` Publish calls to that topic fail; the
message is not delivered. Nothing is armed by default.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from localcloud.armed import Armed

_ARMED = Armed()  # topic ARN -> Publish calls to fail


@contextmanager
def fail_publishes(topic_arn: str, *, times: int) -> Iterator[list[int]]:
    """Within the block, the next `times` Publish calls to `topic_arn` fail.

    Yields a list that holds the number of failures answered once the block ends.
    """
    with _ARMED.arm(topic_arn, times=times) as answered:
        yield answered


def install() -> None:
    """Wrap moto's SNS Publish handler."""
    from moto.sns.exceptions import SNSException
    from moto.sns.responses import SNSResponse

    class KMSThrottlingException(SNSException):
        code = "KMSThrottlingException"
        message = "The request was denied due to request throttling (injected by the emulator)."

    original = SNSResponse.publish

    def publish(self: Any) -> Any:
        if _ARMED.take(self._get_param("TopicArn")):
            raise KMSThrottlingException()
        return original(self)

    SNSResponse.publish = publish

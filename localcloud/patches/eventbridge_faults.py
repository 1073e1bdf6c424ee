"""Fault injection: an S3 event delivered twice, and a rule target whose delivery fails.

AWS: EventBridge delivers "at least once", so a target can receive the same event (same `id`)
more than once (EventBridge User Guide, "Event bus targets"; S3 documents the same for its
notifications). A delivery that fails with an error EventBridge does not retry (the target's
role may not call it, the target is gone) goes straight to the target's dead-letter queue
("Using dead-letter queues to process undelivered events"). moto delivers each event exactly once
and never fails a delivery.

`deliver_s3_events_twice(bucket, times=n)`: the next `n` S3 events of `bucket` reach the default
bus's rules twice, as one event. `fail_deliveries(target_arn, times=n)`: the next `n` deliveries to
`target_arn` fail with `AccessDeniedException`, so `localcloud.patches.eventbridge` dead-letters
them with EventBridge's attributes. Nothing is armed by default.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from moto.core.exceptions import ServiceException

from localcloud.armed import Armed

_TWICE = Armed()  # bucket name -> S3 events to deliver twice
_FAIL = Armed()  # target ARN -> deliveries to fail


class AccessDeniedException(ServiceException):  # named as the error code EventBridge reports
    """The injected delivery failure (an AWS error): the rule's role may not call the target."""

    code = "AccessDeniedException"


@contextmanager
def deliver_s3_events_twice(bucket: str, *, times: int) -> Iterator[list[int]]:
    """Within the block, the next `times` S3 events of `bucket` are delivered twice; yields [events doubled]."""
    with _TWICE.arm(bucket, times=times) as doubled:
        yield doubled


@contextmanager
def fail_deliveries(target_arn: str, *, times: int) -> Iterator[list[int]]:
    """Within the block, the next `times` deliveries to `target_arn` fail; yields [deliveries failed]."""
    with _FAIL.arm(target_arn, times=times) as failed:
        yield failed


def copies(bucket: str) -> int:
    """How many times the S3 event being sent for `bucket` reaches the rules (1, or 2 when armed)."""
    return 2 if _TWICE.take(bucket) else 1


def before_delivery(target_arn: str) -> None:
    """Raise the injected failure when deliveries to `target_arn` are armed to fail."""
    if _FAIL.take(target_arn):
        raise AccessDeniedException(f"injected by the emulator: the rule's role may not call {target_arn}")

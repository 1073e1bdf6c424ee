"""Errors Step Functions retries: `TransientError` marks a failure worth another attempt."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from botocore.exceptions import ClientError, ConnectionError, ReadTimeoutError

P = ParamSpec("P")
R = TypeVar("R")
RETRYABLE_CODES = frozenset({
    "Throttling", "ThrottlingException", "ProvisionedThroughputExceededException", "RequestLimitExceeded",
    "InternalError", "InternalServerError", "ServiceUnavailable", "SlowDown", "RequestTimeout",
})


class TransientError(Exception):
    """An AWS call failed in a way a later attempt can fix (throttling, 5xx, network)."""


def transient_errors(fn: Callable[P, R]) -> Callable[P, R]:
    """Re-raise retryable AWS failures as `TransientError` so the state machine's Retry matches them."""

    @wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return fn(*args, **kwargs)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in RETRYABLE_CODES:
                raise TransientError(str(error)) from error
            raise
        except (ConnectionError, ReadTimeoutError) as error:
            raise TransientError(str(error)) from error

    return wrapper

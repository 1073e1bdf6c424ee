"""Exponential, jittered waits between attempts of a DynamoDB request DynamoDB served only in part.

A BatchGetItem it could only partly serve comes back with the rest in `UnprocessedKeys`, and a
throttled TransactWriteItems is canceled with `ThrottlingError` reasons; for both, DynamoDB
"strongly recommends" exponential backoff before sending again (DynamoDB API Reference). botocore
retries only whole-request errors, so each caller waits `random() * min(cap, base * 2**attempt)`
("full jitter") before its next attempt, and after `attempts` raises `TransientError`: the state
machine's Retry runs the whole (idempotent) load again.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Backoff:
    """How long to wait before attempt `n + 1`, and how many attempts a request gets."""

    attempts: int = 10
    base_s: float = 0.05
    cap_s: float = 5.0
    jitter: Callable[[], float] = random.random

    def delay(self, attempt: int) -> float:
        """The full-jitter wait after the `attempt`-th partly served request (1-based)."""
        return float(self.jitter()) * min(self.cap_s, self.base_s * 2.0 ** attempt)

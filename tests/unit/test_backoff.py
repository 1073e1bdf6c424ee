"""The backoff of partly served DynamoDB requests: full jitter under a growing, capped bound."""

from __future__ import annotations

from txnpipe.backoff import Backoff


def test_the_bound_doubles_with_each_attempt() -> None:
    backoff = Backoff(base_s=0.05, cap_s=5.0, jitter=lambda: 1.0)
    assert [backoff.delay(n) for n in (1, 2, 3)] == [0.1, 0.2, 0.4]


def test_the_bound_stops_at_the_cap() -> None:
    assert Backoff(base_s=0.05, cap_s=5.0, jitter=lambda: 1.0).delay(20) == 5.0


def test_the_wait_is_a_random_share_of_the_bound() -> None:
    assert Backoff(base_s=0.05, cap_s=5.0, jitter=lambda: 0.25).delay(2) == 0.05

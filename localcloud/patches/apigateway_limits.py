"""Addition: usage-plan throttles and quotas, and stage/method throttling, answered with 429.

moto 5.2.5 stores usage plans' `throttle` / `quota` and stages' method settings but enforces
none of them. Following "Throttle requests to your REST APIs for better throughput in API
Gateway" and "Usage plans and API keys for REST APIs" (Developer Guide), per request:

1. the stage's method settings (`<resource path, ~1-escaped>/<METHOD>`, else `*/*`):
   `throttlingRateLimit` / `throttlingBurstLimit` → 429 `THROTTLED`;
2. the caller's usage plan, per API key: the per-method throttle of the plan's api stage
   (`throttle["/path/METHOD"]`), then the plan's `throttle` (`rateLimit` / `burstLimit`) →
   429 `THROTTLED`;
3. the plan's `quota` (`limit` per `DAY` / `WEEK` / `MONTH`, all periods in UTC; `offset` is the
   number of requests subtracted from the limit in the initial period, as the API reference's
   QuotaSettings says) → 429 `QUOTA_EXCEEDED`. A throttled request does not count.

Each throttle is a token bucket: it holds `burst` tokens, refills at `rate` per second, and a
request takes one. AWS applies throttles and quotas on a best-effort basis ("targets rather than
guaranteed request ceilings"; clients can exceed them); the emulator is exact, so a test that
passes here shows the limits are configured, never that AWS will stop request N+1. Not emulated:
the account-level limit (10,000 rps per Region) and weeks' start day in AWS (here: Monday 00:00 UTC).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from localcloud.patches.apigateway_responses import GatewayFailure

_LOCK = threading.Lock()
_BUCKETS: dict[tuple[object, ...], TokenBucket] = {}
_QUOTAS: dict[tuple[object, ...], int] = {}  # (plan, key, period start) -> requests counted
_INITIAL: dict[tuple[object, ...], datetime] = {}  # (plan, key, quota settings) -> first period start
monotonic: Callable[[], float] = time.monotonic
utcnow: Callable[[], datetime] = lambda: datetime.now(UTC)  # noqa: E731 - replaceable clock for tests


@dataclass
class TokenBucket:
    """`burst` tokens, refilled at `rate` per second; one per request."""

    rate: float
    burst: float
    tokens: float
    stamp: float

    def take(self, now: float) -> bool:
        """Take a token if one is there (after refilling for the time since the last call)."""
        self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True


def period_start(period: str, now: datetime) -> datetime:
    """Start (UTC) of the quota period holding `now`."""
    day = now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    if period == "DAY":
        return day
    if period == "WEEK":
        return day - timedelta(days=day.weekday())
    if period == "MONTH":
        return day.replace(day=1)
    raise ValueError(f"quota period {period!r}: must be DAY, WEEK or MONTH")


def reset() -> None:
    """Forget every bucket and count (a fresh emulator)."""
    with _LOCK:
        _BUCKETS.clear()
        _QUOTAS.clear()
        _INITIAL.clear()


def _throttle(key: tuple[object, ...], rate: Any, burst: Any) -> None:
    if rate is None or burst is None:
        return
    config = (*key, float(rate), float(burst))  # a changed setting starts a fresh bucket
    bucket = _BUCKETS.setdefault(config, TokenBucket(float(rate), float(burst), float(burst), monotonic()))
    if not bucket.take(monotonic()):
        raise GatewayFailure("THROTTLED", "Too Many Requests")


def _quota(plan: Any, key_id: str) -> None:
    quota = plan.quota or {}
    if not quota.get("limit"):
        return
    start = period_start(str(quota.get("period", "DAY")), utcnow())
    settings = (plan.id, key_id, int(quota["limit"]), quota.get("period"), int(quota.get("offset") or 0))
    first = _INITIAL.setdefault(settings, start)
    limit = int(quota["limit"]) - (int(quota.get("offset") or 0) if start == first else 0)
    counted = (*settings, start)
    if _QUOTAS.get(counted, 0) >= limit:
        raise GatewayFailure("QUOTA_EXCEEDED", "Limit Exceeded")
    _QUOTAS[counted] = _QUOTAS.get(counted, 0) + 1


def enforce(*, api_id: str, stage: Any, resource_path: str, method: str, plan: Any | None, key_id: str | None) -> None:
    """Raise `GatewayFailure` (THROTTLED / QUOTA_EXCEEDED) when this request is over a limit."""
    settings = stage.method_settings or {}
    own = settings.get(f"{resource_path.replace('/', '~1')}/{method}") or settings.get("*/*") or {}
    with _LOCK:
        _throttle(("stage", api_id, stage.name, resource_path, method),
                  own.get("throttlingRateLimit"), own.get("throttlingBurstLimit"))
        if plan is None or key_id is None:
            return
        for api_stage in plan.api_stages:
            if api_stage.get("apiId") == api_id and api_stage.get("stage") == stage.name:
                per_method = (api_stage.get("throttle") or {}).get(f"{resource_path}/{method}") or {}
                _throttle(("method", plan.id, key_id, resource_path, method),
                          per_method.get("rateLimit"), per_method.get("burstLimit"))
        throttle = plan.throttle or {}
        _throttle(("plan", plan.id, key_id), throttle.get("rateLimit"), throttle.get("burstLimit"))
        _quota(plan, key_id)

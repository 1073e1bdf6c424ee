"""Addition: EventBridge Scheduler schedules fire on the emulated clock and invoke their targets.

moto 5.2.5 stores schedules and never runs them. A background thread (`Scheduler`) wakes every
0.25 s and, for every ENABLED schedule of every account and region:

* computes its next firing (`localcloud.scheduler.expressions`: rate / cron in ScheduleExpressionTimezone /
  at) on the emulated clock (`clock.now()`), within StartDate / EndDate (points on the emulated
  calendar); a rate schedule starts from StartDate, else from its creation. Firings the thread
  missed (a busy machine) are coalesced into one, at the latest due time;
* FlexibleTimeWindow `OFF` fires at the scheduled time; `FLEXIBLE` (AWS: any time within the
  window) fires at the start of the window here, so runs are deterministic;
* invokes the target (`localcloud.scheduler.delivery`: role trust check, Input with context attributes,
  Lambda async invoke / SQS / Step Functions). A failed attempt is retried per the target's
  RetryPolicy (MaximumRetryAttempts, default 185; MaximumEventAgeInSeconds, default 86,400),
  after 1, 2, 4, ... emulated minutes (capped at 15); AWS does not document which errors it
  retries, the emulator retries every failure. When retries run out, the event goes to the
  DeadLetterConfig queue with the attributes AWS documents, else it is dropped (logged);
* a one-time `at()` schedule with ActionAfterCompletion `DELETE` is deleted after it fired.

An expression the emulator cannot compute is logged once and the schedule is skipped. Anything
but an AWS error in this work is an emulator fault (`localcloud.diagnostics`).
"""

from __future__ import annotations

import logging
import math
import threading
from datetime import datetime
from typing import Any

from localcloud import clock, diagnostics
from localcloud.scheduler import delivery
from localcloud.scheduler.expressions import UnsupportedExpression, next_fire, rate_seconds

LOG = logging.getLogger(__name__)
WAKE_SECONDS = 0.25
DEFAULT_RETRIES, DEFAULT_AGE_S, MAX_BACKOFF_S = 185, 86400, 900
COALESCE_WINDOW_S = 3600  # missed cron/at firings older than this are not looked for


def _epoch(value: Any) -> float | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.timestamp()
    if isinstance(value, (int, float)) or str(value).replace(".", "", 1).isdigit():
        return float(value)
    return datetime.fromisoformat(str(value).replace("Z", "+00:00")).timestamp()


def due(schedule: Any, last: float | None, now: float) -> float | None:
    """The latest firing of `schedule` in (last, now], or None (emulated times)."""
    start, end = _epoch(schedule.start_date), _epoch(schedule.end_date)
    expression = schedule.schedule_expression
    anchor = start if start is not None else clock.emulated(float(schedule.creation_date))
    if expression.startswith("rate("):
        interval = rate_seconds(expression)
        latest = anchor + math.floor((now - anchor) / interval) * interval
        fire: float | None = latest if latest > max(anchor, last if last is not None else anchor) else None
    else:
        after = max(last if last is not None else anchor - 1, now - COALESCE_WINDOW_S)
        fire = None
        while (candidate := next_fire(expression, after, timezone=schedule.schedule_expression_timezone)) is not None \
                and candidate <= now:
            fire, after = candidate, candidate
    if fire is None or (start is not None and fire < start) or (end is not None and fire > end):
        return None
    return fire


class Scheduler:
    """The background thread firing moto's schedules (`start`, `stop`)."""

    def __init__(self) -> None:
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="scheduler", daemon=True)
        self._last: dict[tuple[str, str], float] = {}  # (schedule ARN, expression) -> last firing
        self._retries: list[delivery.Firing] = []
        self._warned: set[str] = set()

    def start(self) -> Scheduler:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=10)

    def _run(self) -> None:
        while not self._stop.wait(WAKE_SECONDS):
            with diagnostics.guarded("scheduler.tick", "schedules"):
                self.tick(clock.now())

    def tick(self, now: float) -> None:
        """Fire what is due at emulated `now`, then retry what is waiting."""
        from moto.scheduler.models import scheduler_backends

        for regions in list(scheduler_backends.values()):
            for backend in list(regions.values()):
                for group in list(backend.schedule_groups.values()):
                    for schedule in list(group.schedules.values()):
                        self._consider(backend, group, schedule, now)
        waiting, self._retries = self._retries, []
        for firing in waiting:
            if firing.retry_at <= now:
                self._attempt(firing, now)
            else:
                self._retries.append(firing)

    def _consider(self, backend: Any, group: Any, schedule: Any, now: float) -> None:
        key = (schedule.arn, schedule.schedule_expression)
        if schedule.state != "ENABLED":
            return
        try:
            fire = due(schedule, self._last.get(key), now)
        except (UnsupportedExpression, ValueError) as error:
            if schedule.arn not in self._warned:
                self._warned.add(schedule.arn)
                LOG.warning("schedule %s: %s", schedule.arn, error)
            return
        if fire is None:
            return
        self._last[key] = fire
        account = schedule.arn.split(":")[4]
        self._attempt(delivery.Firing(schedule.arn, account, dict(schedule.target), fire), now)
        if schedule.schedule_expression.startswith("at(") and schedule.action_after_completion == "DELETE":
            group.delete_schedule(schedule.name)

    def _attempt(self, firing: delivery.Firing, now: float) -> None:
        firing.attempts += 1
        with diagnostics.guarded("scheduler.deliver", f"{firing.schedule_arn} -> {firing.target.get('Arn')}"):
            try:
                delivery.invoke(firing)
                return
            except delivery.DeliveryFailed as error:
                self._failed(firing, error, now)
            except Exception as error:
                if not diagnostics.is_aws_error(error):
                    raise
                self._failed(firing, error, now)

    def _failed(self, firing: delivery.Firing, error: BaseException, now: float) -> None:
        policy = firing.target.get("RetryPolicy") or {}
        retries = int(policy.get("MaximumRetryAttempts", DEFAULT_RETRIES))
        age = int(policy.get("MaximumEventAgeInSeconds", DEFAULT_AGE_S))
        backoff = min(60.0 * 2 ** (firing.attempts - 1), MAX_BACKOFF_S)
        condition = ("MaximumRetryAttempts" if firing.attempts > retries
                     else "MaximumEventAgeInSeconds" if now + backoff - firing.scheduled_at > age else None)
        if condition is None:
            firing.retry_at = now + backoff
            self._retries.append(firing)
            return
        LOG.warning("schedule %s: delivery to %s failed (%s), retries exhausted (%s)", firing.schedule_arn,
                    firing.target.get("Arn"), error, condition)
        if not delivery.dead_letter(firing, error, condition):
            LOG.warning("schedule %s: no dead-letter queue, the event is dropped", firing.schedule_arn)


def install() -> Scheduler:
    """Start the scheduler thread."""
    return Scheduler().start()

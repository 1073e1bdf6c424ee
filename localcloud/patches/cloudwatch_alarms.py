"""Addition: CloudWatch metric alarms are evaluated in the background and run their actions.

CloudWatch evaluates each metric alarm every minute against its metric's datapoints and, on a
state change, runs the new state's actions (CloudWatch User Guide, "Using Amazon CloudWatch
alarms", "Evaluating an alarm", "Configuring how CloudWatch alarms treat missing data"). moto
5.2.5 stores alarms and never evaluates them; they start in OK and have no history.

Here a background thread (`AlarmEvaluator`) runs `localcloud.alarms.evaluator.evaluate_all` every
`tick_seconds()`: one emulated minute (`clock.real_seconds(60)`, CloudWatch's evaluation interval)
but at least every second and at most every 10 s (at scale 1 a 60 s period is noticed within 10 s
of its end, at scale 60 within a second). It wakes every 0.25 s, so a scale set while it waits
takes effect at once. Statistics, metric math, M of N and missing data: `localcloud.alarms`
(`stats`, `metric_math`, `evaluate`, `assess`); SNS actions with the topic and key policy checks:
`localcloud.alarms.actions`; initial INSUFFICIENT_DATA state, state kept across PutMetricAlarm,
history and `DescribeAlarmHistory`: `localcloud.alarms.history`. Composite alarms are not evaluated.
"""

from __future__ import annotations

import threading
import time

from localcloud import clock, diagnostics
from localcloud.alarms import history
from localcloud.alarms.evaluator import evaluate_all

WAKE_SECONDS = 0.25


def tick_seconds() -> float:
    """Real seconds between evaluations: one emulated minute, within [1, 10]."""
    return min(10.0, max(1.0, clock.real_seconds(60)))


class AlarmEvaluator:
    """The background thread that calls `evaluate_all` every `tick_seconds()`."""

    def __init__(self) -> None:
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="alarm-evaluator", daemon=True)

    def start(self) -> AlarmEvaluator:
        self._thread.start()
        return self

    def _run(self) -> None:
        last = time.monotonic()
        while not self._stop.wait(WAKE_SECONDS):  # wakes often: a scale set later shortens the tick at once
            if time.monotonic() - last >= tick_seconds():
                last = time.monotonic()
                with diagnostics.guarded("alarms.evaluate", "tick"):
                    evaluate_all()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=10)


def install() -> AlarmEvaluator:
    """Patch moto's alarms (`history`) and start the evaluator."""
    history.install()
    return AlarmEvaluator().start()

"""The state an alarm's datapoints put it in (pure): threshold, M of N, missing data.

Followed: CloudWatch User Guide, "Evaluating an alarm" and "Configuring how CloudWatch alarms treat
missing data". The alarm looks at its most recent N (EvaluationPeriods) periods; it goes to ALARM
when at least M (DatapointsToAlarm, default N) of them breach, else to OK. Missing datapoints:

* `notBreaching` / `breaching`: count as a good / a breaching datapoint;
* `missing` (the default): not counted. Every datapoint missing: INSUFFICIENT_DATA. Fewer than M
  present: ALARM if all present ones breach (AWS's table: `- X -` with 3 of 3 is ALARM), else OK;
* `ignore`: as `missing`, except that every datapoint missing keeps the current state.

Metrics in the `AWS/DynamoDB` namespace always ignore missing data (PutMetricAlarm reference); the
caller passes `ignore` for them.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass

ALARM, OK, INSUFFICIENT = "ALARM", "OK", "INSUFFICIENT_DATA"
COMPARISONS: dict[str, tuple[Callable[[float, float], bool], str]] = {
    "GreaterThanThreshold": (operator.gt, "greater than"),
    "GreaterThanOrEqualToThreshold": (operator.ge, "greater than or equal to"),
    "LessThanThreshold": (operator.lt, "less than"),
    "LessThanOrEqualToThreshold": (operator.le, "less than or equal to"),
}
TREATMENTS = ("missing", "ignore", "breaching", "notBreaching")


class UnsupportedAlarm(ValueError):
    """An alarm setting the emulator does not evaluate (anomaly detection bands, ...)."""


@dataclass(frozen=True)
class Rule:
    """What an alarm compares: threshold, operator, M of N, missing-data treatment."""

    threshold: float
    comparison: str
    evaluation_periods: int
    datapoints_to_alarm: int
    treat_missing: str = "missing"

    def __post_init__(self) -> None:
        if self.comparison not in COMPARISONS:
            raise UnsupportedAlarm(f"comparison operator {self.comparison} is not supported by the emulator")
        if self.treat_missing not in TREATMENTS:
            raise UnsupportedAlarm(f"TreatMissingData {self.treat_missing!r} is not one of {', '.join(TREATMENTS)}")

    def breaches(self, value: float) -> bool:
        return COMPARISONS[self.comparison][0](value, self.threshold)


def decide(rule: Rule, points: Sequence[float | None], current: str) -> str:
    """The alarm's new state for the last N datapoints (oldest first; None: missing)."""
    present = [p for p in points if p is not None]
    missing = len(points) - len(present)
    breaching = sum(1 for p in present if rule.breaches(p))
    m = rule.datapoints_to_alarm
    if rule.treat_missing in ("breaching", "notBreaching"):
        breaching += missing if rule.treat_missing == "breaching" else 0
        return ALARM if breaching >= m else OK
    if not present:
        return current if rule.treat_missing == "ignore" else INSUFFICIENT
    if breaching >= m or (len(present) < m and breaching == len(present)):
        return ALARM
    return OK


def reason(rule: Rule, points: Sequence[float | None], labels: Sequence[str], state: str, old: str) -> str:
    """StateReason in CloudWatch's words (datapoints newest first, as AWS lists them)."""
    words = COMPARISONS[rule.comparison][1]
    shown = [f"{p} ({label})" for p, label in reversed(list(zip(points, labels, strict=True))) if p is not None]
    missing = sum(1 for p in points if p is None)
    if state == INSUFFICIENT:
        return f"Insufficient Data: {missing} datapoint{'s were' if missing != 1 else ' was'} unknown."
    if state == ALARM:
        count = sum(1 for p in points if p is not None and rule.breaches(p))
        text = (f"Threshold Crossed: {count} out of the last {len(points)} datapoints [{', '.join(shown)}] "
                f"{'were' if count != 1 else 'was'} {words} the threshold ({rule.threshold}) "
                f"(minimum {rule.datapoints_to_alarm} datapoint{'s' if rule.datapoints_to_alarm != 1 else ''} "
                f"for {old} -> ALARM transition).")
    else:
        text = (f"Threshold Crossed: {len(shown)} datapoint{'s' if len(shown) != 1 else ''} [{', '.join(shown)}] "
                f"{'were' if len(shown) != 1 else 'was'} not {words} the threshold ({rule.threshold}).")
    if missing and rule.treat_missing in ("breaching", "notBreaching"):
        label = "Breaching" if rule.treat_missing == "breaching" else "NonBreaching"
        text += f" {missing} missing datapoint{'s were' if missing != 1 else ' was'} treated as [{label}]."
    return text

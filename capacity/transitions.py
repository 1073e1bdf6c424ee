"""Walk a synthesized state machine (ASL) for one scenario: state transitions and the tasks it runs.

Step Functions Standard bills "a state transition each time a step of your workflow is executed",
retries included (AWS Step Functions pricing). A Distributed Map with STANDARD child executions runs
its item processor once per item, each step again a transition. The walk takes the facts the Choice
states test (`{"$.large": False, "$.format": "csv", ...}`) and the item count of each Map; it
follows the happy path (no Catch, no Retry), which is the path every billed file takes at least.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

Facts = Mapping[str, object]
_LAMBDA_REF = re.compile(r"^\$\{aws_lambda_function\.([^.}]+)\.arn\}$")
MAX_STEPS = 1_000  # a walk longer than this is a loop the scenario does not leave


@dataclass
class Trace:
    """What one execution does: transitions (children included) and how often each Task resource runs."""

    transitions: int = 0
    tasks: Counter[str] = field(default_factory=Counter)

    def add(self, other: Trace, times: int = 1) -> None:
        """Add `times` runs of `other` (a branch or a Map child)."""
        self.transitions += other.transitions * times
        for resource, n in other.tasks.items():
            self.tasks[resource] += n * times


def lambda_resource_id(resource: str) -> str | None:
    """`validate-file_function_269F6695` for `${aws_lambda_function.validate-file_function_269F6695.arn}`."""
    match = _LAMBDA_REF.match(resource)
    return match.group(1) if match else None


def walk(definition: Mapping[str, Any], *, facts: Facts, map_items: Mapping[str, int]) -> Trace:
    """Trace one execution of `definition` (an ASL document or a branch/item processor)."""
    states: Mapping[str, Any] = definition["States"]
    trace, name, steps = Trace(), definition["StartAt"], 0
    while name is not None:
        steps += 1
        if steps > MAX_STEPS:
            raise ValueError(f"walk did not end after {MAX_STEPS} states (loop at {name!r}); check the scenario facts")
        state = states[name]
        trace.transitions += 1
        _nested(name, state, trace, facts=facts, map_items=map_items)
        name = _next(name, state, facts)
    return trace


def _nested(name: str, state: Mapping[str, Any], trace: Trace, *, facts: Facts, map_items: Mapping[str, int]) -> None:
    kind = state["Type"]
    if kind == "Task":
        trace.tasks[state["Resource"]] += 1
    elif kind == "Parallel":
        for branch in state["Branches"]:
            trace.add(walk(branch, facts=facts, map_items=map_items))
    elif kind == "Map":
        if name not in map_items:
            raise ValueError(f"Map state {name!r}: the scenario gives no item count (map_items[{name!r}])")
        processor = state.get("ItemProcessor") or state["Iterator"]
        trace.add(walk(processor, facts=facts, map_items=map_items), times=map_items[name])


def _next(name: str, state: Mapping[str, Any], facts: Facts) -> str | None:
    if state["Type"] == "Choice":
        for rule in state["Choices"]:
            if _holds(name, rule, facts):
                return str(rule["Next"])
        return str(state["Default"])
    if state.get("End") or state["Type"] in ("Succeed", "Fail"):
        return None
    return str(state["Next"])


def _holds(state_name: str, rule: Mapping[str, Any], facts: Facts) -> bool:
    """Evaluate one Choice rule (the comparison operators this project's definition uses)."""
    variable = rule["Variable"]
    if "IsPresent" in rule:
        return (variable in facts) == bool(rule["IsPresent"])
    if variable not in facts:
        raise ValueError(f"Choice {state_name!r} tests {variable}: the scenario has no fact for it")
    value = facts[variable]
    if "BooleanEquals" in rule:
        return value is rule["BooleanEquals"]
    if "StringEquals" in rule:
        return bool(value == rule["StringEquals"])
    if "NumericGreaterThan" in rule:
        return isinstance(value, int | float) and bool(value > rule["NumericGreaterThan"])
    operators = sorted(k for k in rule if k not in ("Variable", "Next"))
    raise ValueError(f"Choice {state_name!r}: operator {operators} is not modelled by capacity.transitions")

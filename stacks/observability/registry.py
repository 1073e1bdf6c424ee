"""What a stack asks the observability stack to watch. Alarms are generated from this data."""

from __future__ import annotations

from dataclasses import dataclass, field

from stacks.constructs.python_function import PythonFunction


@dataclass(frozen=True)
class QueueRef:
    """A queue to watch: `dlq=True` alarms on any visible message, else on message age."""

    name: str
    arn: str
    dlq: bool


@dataclass(frozen=True)
class StateMachineRef:
    """A Step Functions state machine."""

    name: str
    arn: str


@dataclass(frozen=True)
class ApiRef:
    """An API Gateway REST API stage."""

    api_name: str
    stage: str


@dataclass
class Monitored:
    """Everything one stack wants alarms and dashboard widgets for."""

    functions: list[PythonFunction] = field(default_factory=list)
    queues: list[QueueRef] = field(default_factory=list)
    state_machines: list[StateMachineRef] = field(default_factory=list)
    apis: list[ApiRef] = field(default_factory=list)
    tables: list[str] = field(default_factory=list)  # table names

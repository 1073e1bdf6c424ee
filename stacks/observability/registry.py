"""What a stack asks the observability stack to watch. Alarms are generated from this data.

A stack registers its resources in a `Monitored` (as `.monitored`), with names as it has them: a
plain string or an unresolved token. `stack.watched_from` merges every registry into one `Watched`:
the same records with plain names where they can be traced (`names.PlainNames`) and `short` filled in.
The alarms and the dashboard read only `Watched`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from stacks.constructs.python_function import PythonFunction


@dataclass(frozen=True, kw_only=True)
class WatchedFunction:
    """A Lambda function as the alarms see it (plain strings); made by `watched_from` from a `PythonFunction`."""

    short: str  # e.g. "file-status": construct ids and alarm names
    name: str  # FunctionName dimension
    log_group: str
    timeout_s: int


@dataclass(frozen=True, kw_only=True)
class WatchedQueue:
    """A queue to watch: `dlq=True` alarms on any visible message, else on message age."""

    name: str  # QueueName dimension
    dlq: bool
    short: str = ""  # construct ids and alarm names; filled in by `watched_from`


@dataclass(frozen=True, kw_only=True)
class WatchedStateMachine:
    """A Step Functions state machine."""

    name: str
    arn: str  # StateMachineArn dimension; `watched_from` builds it from the plain name
    short: str = ""  # construct ids and alarm names; filled in by `watched_from`


@dataclass(frozen=True, kw_only=True)
class WatchedApi:
    """An API Gateway REST API stage."""

    name: str  # ApiName dimension
    stage: str
    short: str = ""  # construct ids and alarm names; filled in by `watched_from`


@dataclass(frozen=True, kw_only=True)
class WatchedTable:
    """A DynamoDB table."""

    name: str  # TableName dimension
    short: str = ""  # construct ids and alarm names; filled in by `watched_from`


@dataclass(kw_only=True)
class Monitored:
    """Everything one stack wants alarms and dashboard widgets for."""

    functions: list[PythonFunction] = field(default_factory=list)
    queues: list[WatchedQueue] = field(default_factory=list)
    state_machines: list[WatchedStateMachine] = field(default_factory=list)
    apis: list[WatchedApi] = field(default_factory=list)
    tables: list[WatchedTable] = field(default_factory=list)


@dataclass(frozen=True, kw_only=True)
class Watched:
    """Everything to watch, merged from every stack's registry."""

    functions: Sequence[WatchedFunction] = ()
    queues: Sequence[WatchedQueue] = ()
    state_machines: Sequence[WatchedStateMachine] = ()
    apis: Sequence[WatchedApi] = ()
    tables: Sequence[WatchedTable] = ()

"""Addition: the two Step Functions quotas a data pipeline can reach, enforced as AWS enforces them.

Followed: AWS Step Functions Developer Guide, "Step Functions service quotas" (quotas related to
state machine executions and to task executions), "Avoid reaching the history quota"
(bp-history-limit) and "Handling errors in Step Functions workflows" (States.ALL, States.DataLimitExceeded).

* **Payload, 256 KiB.** A state's input or output, a task's result and the input after Parameters
  may hold at most 256 KiB as a UTF-8 encoded JSON string (262,144 bytes; exactly that much is
  allowed). moto 5.2.5 checks outputs, but counts the JSON with `", "`/`": "` separators and
  `\\uXXXX` escapes (so it refuses smaller payloads than AWS) and refuses exactly 262,144 bytes.
  Here the size is that of compact JSON (what Step Functions passes between states), ``<=`` the quota.
* **States.DataLimitExceeded is terminal.** AWS: `States.ALL` does not match it (neither in Retry nor in
  Catch), so a catch-all cannot turn an oversized payload into a handled failure. moto matched it.
  Naming it explicitly in ErrorEquals still matches, as in moto. moto also turned any `States.*`
  error leaving a Parallel branch or an inline Map iteration into a ValueError (then `States.Runtime`,
  which States.ALL caught); such errors now propagate under their own name, as in AWS.
* **Execution history, 25,000 events** (Standard workflows, a hard quota). AWS: when an execution
  holds 24,999 events, event 25,000 must be `ExecutionSucceeded`; otherwise `ExecutionFailed` is
  logged as event 25,000 and the execution fails. moto kept any number of events. The error name is
  not documented; `States.Runtime` with AWS's message is used. Distributed Map child executions keep
  their own history (moto records them apart from the parent's, so they never count here).
"""

from __future__ import annotations

import json
from typing import Any

MAX_PAYLOAD_BYTES = 256 * 1024
MAX_HISTORY_EVENTS = 25_000
HISTORY_ERROR = "States.Runtime"
_TERMINAL_EVENTS = ("ExecutionSucceeded", "ExecutionFailed", "ExecutionAborted", "ExecutionTimedOut")


def history_cause() -> str:
    """AWS's message for an execution that ran out of history events."""
    return f"The execution reached the maximum number of history events ({MAX_HISTORY_EVENTS})."


def payload_bytes(value: Any) -> int:
    """Size of `value` as Step Functions passes it: compact JSON, UTF-8 (strings are taken as they are)."""
    text = value if isinstance(value, str) else json.dumps(value, separators=(",", ":"), ensure_ascii=False, default=str)
    return len(text.encode("utf-8"))


def is_within_size_quota(value: Any) -> bool:
    """True when `value` fits the 256 KiB payload quota (the boundary itself fits)."""
    return payload_bytes(value) <= MAX_PAYLOAD_BYTES


def _install_payload_quota() -> None:
    from moto.stepfunctions.parser import quotas
    from moto.stepfunctions.parser.asl.component.state import state
    from moto.stepfunctions.parser.asl.component.state.exec.state_task import state_task_lambda
    from moto.stepfunctions.parser.asl.component.state.exec.state_task.service import state_task_service

    # Each module imported the function by name: replace every reference.
    for module in (quotas, state, state_task_lambda, state_task_service):
        module.is_within_size_quota = is_within_size_quota  # type: ignore[attr-defined]


def _install_terminal_data_limit() -> None:
    from moto.stepfunctions.parser.asl.component.common.error_name.error_equals_decl import ErrorEqualsDecl
    from moto.stepfunctions.parser.asl.component.common.error_name.states_error_name import StatesErrorName
    from moto.stepfunctions.parser.asl.component.common.error_name.states_error_name_type import StatesErrorNameType

    original = ErrorEqualsDecl._eval_body
    if getattr(original, "_localcloud", False):
        return
    data_limit = StatesErrorName(typ=StatesErrorNameType.StatesStatesDataLimitExceeded)
    states_all = StatesErrorName(typ=StatesErrorNameType.StatesALL)

    def _eval_body(self: Any, env: Any) -> None:
        if env.stack and env.stack[-1] == data_limit and data_limit not in self.error_names \
                and states_all in self.error_names:
            env.stack.pop()
            env.stack.append(False)
            return
        original(self, env)

    _eval_body._localcloud = True  # type: ignore[attr-defined]
    ErrorEqualsDecl._eval_body = _eval_body  # type: ignore[method-assign]


def _error_name(error_name: str | None) -> Any:
    """A branch's or iteration's error name as the parent state sees it (`States.*` names stay States errors)."""
    from moto.stepfunctions.parser.asl.component.common.error_name.custom_error_name import CustomErrorName
    from moto.stepfunctions.parser.asl.component.common.error_name.states_error_name import StatesErrorName

    if error_name is not None and error_name.startswith("States."):
        return StatesErrorName.from_name(error_name)
    return CustomErrorName(error_name=error_name)


def _install_nested_error_names() -> None:
    from moto.stepfunctions.parser.asl.component.state.exec.state_map.iteration import iteration_worker
    from moto.stepfunctions.parser.asl.component.state.exec.state_parallel import branches_decl

    for module in (iteration_worker, branches_decl):
        module.CustomErrorName = _error_name  # type: ignore[attr-defined]


def _install_history_quota() -> None:
    from moto.stepfunctions.parser.api import ExecutionFailedEventDetails
    from moto.stepfunctions.parser.asl.eval.environment import Environment
    from moto.stepfunctions.parser.asl.eval.event.event_manager import EventManager

    if getattr(EventManager.add_event, "_localcloud", False):
        return
    original_init, original_add, original_set_error = Environment.__init__, EventManager.add_event, Environment.set_error

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        original_init(self, *args, **kwargs)
        # Only an execution's own manager is bounded (frames share it; map runs make their own).
        self.event_manager._localcloud_execution_env = self

    def add_event(self: Any, context: Any, event_type: Any, *args: Any, **kwargs: Any) -> int:
        env = getattr(self, "_localcloud_execution_env", None)
        if env is not None and len(self._history_event_list) >= MAX_HISTORY_EVENTS - 1 \
                and getattr(event_type, "value", event_type) not in _TERMINAL_EVENTS:
            env._localcloud_history_error = ExecutionFailedEventDetails(error=HISTORY_ERROR, cause=history_cause())
            env.set_error(env._localcloud_history_error)
            return int(self._history_event_list[-1]["id"])  # the event is not recorded
        return int(original_add(self, context, event_type, *args, **kwargs))

    def set_error(self: Any, error: Any) -> None:
        # Once the history is full, whatever fails afterwards, the execution fails for the history.
        original_set_error(self, getattr(self, "_localcloud_history_error", None) or error)

    for fn in (__init__, add_event, set_error):
        fn._localcloud = True  # type: ignore[attr-defined]
    Environment.__init__ = __init__  # type: ignore[method-assign]
    Environment.set_error = set_error  # type: ignore[method-assign]
    EventManager.add_event = add_event  # type: ignore[method-assign]


def install() -> None:
    """Enforce the payload and history quotas; make States.DataLimitExceeded uncatchable by States.ALL."""
    _install_payload_quota()
    _install_terminal_data_limit()
    _install_nested_error_names()
    _install_history_quota()

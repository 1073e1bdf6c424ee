"""Fault injection for tests: make a function's next invocations fail without running it.

`inject(name, error_type, times)` fails the next `times` invocations (or every one, `times=None`)
of that function with `error_type`, answered as a function error (FunctionError `Unhandled`), the
way a handler raising `error_type` would be. `kill(name, after_s, times)` lets the next `times`
invocations run and kills their worker process `after_s` seconds in (mid-work, as an out-of-memory
kill or a crash would), answered `Runtime.ExitError` as AWS answers a runtime that exits. `clear()`
ends every injection. Injected failures are expected control flow, never an emulator fault.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

DEFAULT_MESSAGE = "fault injected by localcloud"


@dataclass(frozen=True)
class Fault:
    """What to do to one invocation: fail it before it runs, or kill its worker `kill_after_s` into it."""

    error_type: str
    message: str
    kill_after_s: float | None = None


@dataclass
class _Injection:
    fault: Fault
    remaining: int | None


@dataclass
class InjectedFaults:
    """The injections in force, by function name; thread-safe."""

    _by_function: dict[str, _Injection] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def inject(self, function_name: str, error_type: str, *, times: int | None = 1,
               message: str = DEFAULT_MESSAGE) -> None:
        """Fail the next `times` invocations (None: every one) of `function_name` with `error_type`."""
        if times is not None and times < 1:
            raise ValueError(f"times must be at least 1 or None (every invocation), got {times}")
        with self._lock:
            self._by_function[function_name] = _Injection(Fault(error_type, message), times)

    def kill(self, function_name: str, *, after_s: float, times: int = 1) -> None:
        """Kill the worker of the next `times` invocations of `function_name` `after_s` seconds into each."""
        if times < 1 or after_s <= 0:
            raise ValueError(f"times must be at least 1 and after_s positive, got {times} and {after_s}")
        with self._lock:
            self._by_function[function_name] = _Injection(Fault("Runtime.ExitError", "", after_s), times)

    def clear(self) -> None:
        """End every injection."""
        with self._lock:
            self._by_function.clear()

    def take(self, function_name: str) -> Fault | None:
        """The fault of this invocation of `function_name`, if any; counts it."""
        with self._lock:
            injection = self._by_function.get(function_name)
            if injection is None:
                return None
            if injection.remaining is not None:
                injection.remaining -= 1
                if injection.remaining == 0:
                    del self._by_function[function_name]
            return injection.fault

"""Fault injection for tests: make a function's next invocations fail without running it.

`inject(name, error_type, times)` fails the next `times` invocations (or every one, `times=None`)
of that function with `error_type`, answered as a function error (FunctionError `Unhandled`), the
way a handler raising `error_type` would be; `clear()` ends every injection. Injected failures
are expected control flow, never an emulator fault.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

DEFAULT_MESSAGE = "fault injected by localcloud"


@dataclass
class _Injection:
    error_type: str
    message: str
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
            self._by_function[function_name] = _Injection(error_type, message, times)

    def clear(self) -> None:
        """End every injection."""
        with self._lock:
            self._by_function.clear()

    def take(self, function_name: str) -> tuple[str, str] | None:
        """(error type, message) when this invocation of `function_name` is to fail; counts it."""
        with self._lock:
            injection = self._by_function.get(function_name)
            if injection is None:
                return None
            if injection.remaining is not None:
                injection.remaining -= 1
                if injection.remaining == 0:
                    del self._by_function[function_name]
            return injection.error_type, injection.message

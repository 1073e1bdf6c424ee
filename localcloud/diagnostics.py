"""The emulator's own faults, recorded so that tests see them instead of a swallowed exception.

Two kinds of exception reach the emulator's background work (event source pollers, async
invocations, EventBridge delivery, log writing):

* an AWS error: one of moto's modelled service errors (`moto.core.exceptions.ServiceException`
  or a werkzeug `HTTPException`, which moto's REST errors are). AWS answers the same way (a
  deleted queue is `QueueDoesNotExist`), so it is expected control flow: logged at WARNING and
  handled as AWS handles it.
* anything else (TypeError, KeyError, NotImplementedError, ...): a fault of the emulator itself.
  `record()` logs it at ERROR with its traceback and keeps it; `recorded()` lists what was kept,
  and the test fixtures fail the session's teardown naming every fault (`check()`). This includes
  an exception escaping moto's own request handling (which moto answers with a bare HTTP 500,
  not an AWS error): `watch_requests()` records those too.

A function error (the handler raised, timed out, could not import) is neither: the Lambda
runtime answers it as a FunctionError, as Lambda does, and nothing is recorded.
"""

from __future__ import annotations

import logging
import threading
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

LOG = logging.getLogger(__name__)
_LOCK = threading.Lock()


@dataclass(frozen=True)
class Fault:
    """One unexpected exception inside the emulator: where (`kind`), on what (`detail`), and the error."""

    kind: str
    detail: str
    error: str
    traceback: str

    def __str__(self) -> str:
        return f"{self.kind} ({self.detail}): {self.error}"


_FAULTS: list[Fault] = []
_FAULT_LOG: list[Path] = []  # where `record()` also appends each fault's report (`log_to`)


class EmulatorFaults(AssertionError):
    """Raised by `check()`: the emulator hit exceptions of its own during the session."""


def is_aws_error(exc: BaseException) -> bool:
    """True for the errors moto models as AWS service errors (what AWS itself would answer)."""
    from moto.core.exceptions import ServiceException
    from werkzeug.exceptions import HTTPException

    return isinstance(exc, (ServiceException, HTTPException))


def record(kind: str, detail: str, exc: BaseException) -> Fault:
    """Log `exc` at ERROR with its traceback and keep it as a fault of the emulator."""
    fault = Fault(kind=kind, detail=detail, error=f"{type(exc).__name__}: {exc}",
                  traceback="".join(traceback.format_exception(exc)))
    LOG.error("emulator fault in %s (%s)", kind, detail, exc_info=exc)
    with _LOCK:
        _FAULTS.append(fault)
        for path in _FAULT_LOG:
            with path.open("a", encoding="utf-8") as log:
                log.write(f"{fault}\n{fault.traceback}\n")
    return fault


def log_to(path: Path) -> None:
    """Start `path` empty and append every fault recorded from now on (kept even when a test takes the fault)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("", encoding="utf-8")  # one emulator's faults: an earlier run's would mislead
    with _LOCK:
        _FAULT_LOG[:] = [path]


def recorded() -> tuple[Fault, ...]:
    """Every fault recorded since the process started (or the last `take()`)."""
    with _LOCK:
        return tuple(_FAULTS)


def take(kind: str | None = None, *, error: str = "", detail: str = "") -> tuple[Fault, ...]:
    """Return the recorded faults of `kind` (every kind: None) whose error and detail contain the given text; forget them.

    For tests that provoke a fault on purpose: they take their own, the others stay for `check()`.
    """
    with _LOCK:
        faults = tuple(f for f in _FAULTS if (kind is None or f.kind == kind) and error in f.error and detail in f.detail)
        _FAULTS[:] = [f for f in _FAULTS if f not in faults]
    return faults


def report(faults: tuple[Fault, ...]) -> str:
    """A text naming every fault, each with its traceback."""
    lines = [f"the emulator recorded {len(faults)} unexpected error(s):"]
    lines += [f"  {i}. {fault}\n{fault.traceback}" for i, fault in enumerate(faults, 1)]
    return "\n".join(lines)


def check(faults: tuple[Fault, ...]) -> None:
    """Raise `EmulatorFaults` with the `report()` of `faults`; do nothing when there are none."""
    if faults:
        raise EmulatorFaults(report(faults))


@contextmanager
def guarded(kind: str, detail: str) -> Iterator[None]:
    """Contain an exception of background work: AWS errors are logged, anything else is recorded.

    For work whose caller cannot receive the exception (a poller thread, an async invocation):
    AWS drops or retries such work the same way, and the emulator must keep serving.
    """
    try:
        yield
    except Exception as exc:
        if is_aws_error(exc):
            LOG.warning("%s (%s): %s: %s", kind, detail, type(exc).__name__, exc)
        else:
            record(kind, detail, exc)


def _on_request_exception(sender: object, exception: BaseException, **_: object) -> None:
    from flask import request

    record("moto.request", f"{request.method} {request.path} ({getattr(sender, 'name', sender)})", exception)


def watch_requests() -> None:
    """Record every exception that escapes moto's request handling (Flask's got_request_exception)."""
    from flask import got_request_exception

    got_request_exception.connect(_on_request_exception)  # a module function: the weak reference stays alive

"""One emulator per test session (moto keeps its state in module globals, so one per process)."""

from __future__ import annotations

import atexit
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from localcloud import diagnostics
from localcloud.emulator import ROOT, Emulator

_EMULATOR: Emulator | None = None


def session_emulator() -> Emulator:
    """Start (once) an emulator on a free loopback port (callers point boto3 at it with `client_env()`)."""
    global _EMULATOR
    if _EMULATOR is None:
        work = Path(os.environ.get("LOCALCLOUD_WORK_DIR", ROOT / "build" / "localcloud" / "test"))
        _EMULATOR = Emulator(port=0, work_dir=work).start()
        atexit.register(_EMULATOR.stop)
    return _EMULATOR


def run_last(items: list[Any]) -> None:
    """Order the emulator's tests after every other test of the session.

    The emulator patches moto classes in this process; running its tests last means the handler
    tests' `mock_aws` never meets a patched moto or an AWS_ENDPOINT_URL pointing at the emulator.
    """
    items.sort(key=lambda item: any(part in str(item.path) for part in ("tests/e2e/", "tests/localcloud/")))


@contextmanager
def client_environment(emulator: Emulator) -> Iterator[Emulator]:
    """Point this process's AWS clients at `emulator` for the duration, then restore the environment."""
    saved = {k: os.environ.get(k) for k in emulator.client_env()}
    os.environ.update(emulator.client_env())
    try:
        yield emulator
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def fail_on_emulator_faults() -> None:
    """Fail (pytest.fail) naming every fault the emulator recorded this session, with tracebacks.

    For a session-scoped fixture's teardown: a swallowed emulator bug must not pass as green.
    """
    import pytest

    faults = diagnostics.recorded()
    if faults:
        pytest.fail(diagnostics.report(faults), pytrace=False)

"""One emulator per test session (moto keeps its state in module globals, so one per process)."""

from __future__ import annotations

import atexit
import os
from pathlib import Path

from localcloud.emulator import ROOT, Emulator

_EMULATOR: Emulator | None = None


def session_emulator() -> Emulator:
    """Start (once) an emulator on a free loopback port and point this process's boto3 at it."""
    global _EMULATOR
    if _EMULATOR is None:
        work = Path(os.environ.get("LOCALCLOUD_WORK_DIR", ROOT / "build" / "localcloud" / "test"))
        _EMULATOR = Emulator(port=0, work_dir=work).start()
        atexit.register(_EMULATOR.stop)
    os.environ.update(_EMULATOR.client_env())
    return _EMULATOR

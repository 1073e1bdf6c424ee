"""Emulated time for the emulator's own clocks (alarm periods, schedules): wall-clock time, optionally sped up.

`LOCALCLOUD_TIME_SCALE` emulated seconds pass per real second (default 1, AWS's pace), counted from
the moment the emulator starts (`start()`): at 60 an alarm's one-minute period lasts one real second
and a `rate(5 minutes)` schedule fires every five. Whatever AWS stamps stays wall-clock: metric
datapoints, log events, the handlers' own clocks. The alarm evaluator and the scheduler read those
stamps through `emulated()`, so evaluation is still driven by timestamps, only faster.
"""

from __future__ import annotations

import os
import threading
import time

SCALE_VARIABLE = "LOCALCLOUD_TIME_SCALE"
_LOCK = threading.Lock()
_origin: float | None = None  # the real time the emulated clock started from
_scale = 1.0


def read_scale(environ: dict[str, str] | None = None) -> float:
    """The scale `LOCALCLOUD_TIME_SCALE` asks for; a clear error when it is not a number >= 1."""
    raw = (environ if environ is not None else dict(os.environ)).get(SCALE_VARIABLE, "1")
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(f"{SCALE_VARIABLE}={raw!r} is not a number (emulated seconds per real second)") from None
    if not value >= 1:
        raise ValueError(f"{SCALE_VARIABLE}={raw!r} must be at least 1 (time never runs slower than real time)")
    return value


def start(scale: float | None = None, *, origin: float | None = None) -> None:
    """Start the emulated clock now (or at `origin`), at `scale` (default: from the environment)."""
    global _origin, _scale
    value = read_scale() if scale is None else scale
    if not value >= 1:
        raise ValueError(f"time scale {value} must be at least 1")
    with _LOCK:
        _origin, _scale = (time.time() if origin is None else origin), value


def scale() -> float:
    """Emulated seconds per real second."""
    return _scale


def emulated(real: float) -> float:
    """The emulated time (epoch seconds) of wall-clock time `real`; identity at scale 1 or before `start()`."""
    if _origin is None or _scale == 1:
        return real
    return _origin + (real - _origin) * _scale


def real(emulated_time: float) -> float:
    """The wall-clock time at which the emulated clock shows `emulated_time` (inverse of `emulated`)."""
    if _origin is None or _scale == 1:
        return emulated_time
    return _origin + (emulated_time - _origin) / _scale


def now() -> float:
    """The emulated time now (epoch seconds)."""
    return emulated(time.time())


def real_seconds(emulated_seconds: float) -> float:
    """How long `emulated_seconds` of emulated time last in real time."""
    return emulated_seconds / _scale

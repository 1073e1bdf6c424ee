"""A progress bar on stderr for the bytes of a file read so far (standard library only)."""

from __future__ import annotations

import time
from typing import BinaryIO, Final, TextIO

from txnpipe.domain.rowwise import CountingReader

_WIDTH: Final = 30
_INTERVAL_S: Final = 0.1
_MB: Final = 1_000_000


class Bar:
    """Redraws one line ``\\r<label> [#####.....]  45%  12.3/27.0 MB``, at most every 0.1 s."""

    def __init__(self, *, out: TextIO, label: str, total: int) -> None:
        self._out = out
        self._label = label
        self._total = total
        self._done = 0
        self._drawn_at = 0.0

    def advance(self, count: int) -> None:
        """Count ``count`` more bytes read; redraw if the last drawing is old enough."""
        self._done += count
        now = time.monotonic()
        if now - self._drawn_at >= _INTERVAL_S:
            self._draw()
            self._drawn_at = now

    def finish(self) -> None:
        """Draw the final state, then clear the line so the report prints on a clean line."""
        self._draw()
        self._out.write("\r\x1b[K")
        self._out.flush()

    def _draw(self) -> None:
        fraction = min(self._done / self._total, 1.0) if self._total > 0 else 1.0
        filled = round(fraction * _WIDTH)
        bar = "#" * filled + "." * (_WIDTH - filled)
        sizes = f"{self._done / _MB:.1f}/{self._total / _MB:.1f} MB"
        self._out.write(f"\r{self._label} [{bar}] {fraction:4.0%}  {sizes}")
        self._out.flush()


class ProgressReader(CountingReader):
    """Wraps a binary stream: every read advances ``bar`` by the bytes it returned."""

    def __init__(self, stream: BinaryIO, bar: Bar) -> None:
        super().__init__(stream)
        self._bar = bar

    def read(self, size: int | None = -1) -> bytes:
        """Read up to ``size`` bytes (all remaining when negative), and show them read."""
        data = super().read(size)
        self._bar.advance(len(data))
        return data

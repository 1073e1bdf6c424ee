"""Armed fault counters shared by the emulator's fault injections: "the next n calls for this key"."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager


class Armed:
    """Per key, how many calls are still to be hit, and how many were hit while armed.

    `arm(key, times=n)` is a context manager: within it the next `n` `take(key)` answer True, and
    it yields a list that holds the number of hits once the block ends. Nothing is armed by default.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._left: dict[str, int] = {}
        self._hit: dict[str, int] = {}

    @contextmanager
    def arm(self, key: str, *, times: int) -> Iterator[list[int]]:
        """Within the block, the next `times` calls for `key` are hit."""
        answered: list[int] = []
        with self._lock:
            self._left[key], self._hit[key] = times, 0
        try:
            yield answered
        finally:
            with self._lock:
                self._left.pop(key, None)
                answered.append(self._hit.pop(key, 0))

    def take(self, key: str | None) -> bool:
        """True (and one fewer left) when `key` is armed with calls left."""
        with self._lock:
            if not key or self._left.get(key, 0) <= 0:
                return False
            self._left[key] -= 1
            self._hit[key] += 1
            return True

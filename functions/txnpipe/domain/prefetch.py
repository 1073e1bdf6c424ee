"""Run a producer a few items ahead of its consumer on a second thread (when there is a second CPU).

The data plane's first stage (Arrow's CSV parse and the vectorised checks) is C++ that
releases the GIL, so on a machine with two CPUs it overlaps with the second stage (the
duplicate-id set, the row-wise judgement of suspects and the hand-off to the Parquet sink).
"""

from __future__ import annotations

import os
import queue
import threading
from collections.abc import Iterable, Iterator
from typing import Generic, TypeVar

T = TypeVar("T")
_POLL_S = 0.1


def spare_cpu() -> bool:
    """True when this process may run on at least two CPUs."""
    return len(os.sched_getaffinity(0)) >= 2


class _End:
    """Marks the end of the producer's items, with the exception that ended it (if any)."""

    def __init__(self, error: BaseException | None) -> None:
        self.error = error


class Prefetched(Generic[T]):
    """Iterates ``source`` on a worker thread, at most ``depth`` items ahead of the consumer.

    An exception in ``source`` is raised in the consumer, at the place of the item it stopped
    at. ``close`` (also on leaving a ``with`` block) stops the worker and waits for it.
    """

    def __init__(self, source: Iterable[T], *, depth: int = 1) -> None:
        self._items: queue.Queue[T | _End] = queue.Queue(maxsize=depth)
        self._stop = threading.Event()
        self._worker = threading.Thread(target=self._produce, args=(source,), name="prefetch", daemon=True)
        self._worker.start()

    def _produce(self, source: Iterable[T]) -> None:
        error: BaseException | None = None
        try:
            for item in source:
                if not self._put(item):
                    return
        except BaseException as raised:  # handed to the consumer, which raises it
            error = raised
        self._put(_End(error))

    def _put(self, item: T | _End) -> bool:
        while not self._stop.is_set():
            try:
                self._items.put(item, timeout=_POLL_S)
                return True
            except queue.Full:
                continue
        return False

    def __iter__(self) -> Iterator[T]:
        while True:
            item = self._items.get()
            if isinstance(item, _End):
                if item.error is not None:
                    raise item.error
                return
            yield item

    def close(self) -> None:
        """Stop the worker (it finishes the item in hand) and wait for it."""
        self._stop.set()
        self._worker.join()

    def __enter__(self) -> Prefetched[T]:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def ahead(source: Iterable[T], *, depth: int = 1) -> Prefetched[T] | _Inline[T]:
    """``source`` prefetched on a worker thread with a spare CPU, else iterated inline."""
    return Prefetched(source, depth=depth) if spare_cpu() else _Inline(source)


class _Inline(Generic[T]):
    """The same interface as :class:`Prefetched`, iterating in the caller's thread."""

    def __init__(self, source: Iterable[T]) -> None:
        self._source = source

    def __iter__(self) -> Iterator[T]:
        return iter(self._source)

    def close(self) -> None:
        """Nothing to stop."""

    def __enter__(self) -> _Inline[T]:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

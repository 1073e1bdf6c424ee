"""Read and parse CSV batches on a second thread while the caller validates the previous ones.

Arrow parses without the GIL, so with two cores parsing overlaps with validation. With one
core a thread only adds GIL hand-offs (measured: ~10 % more CPU), so batches are then read
in the caller. Errors of the reading thread are raised in the caller.
"""

from __future__ import annotations

import os
import queue
import threading
from collections.abc import Generator, Iterable, Iterator

import pyarrow as pa

from txnpipe.domain.csv_arrow_rows import Reject, RowNumbers

#: A parsed batch with its row numbers and the malformed rows before it (None after the last).
Item = tuple[pa.RecordBatch | None, pa.Array | None, list[Reject]]
_DEPTH = 2  # batches read ahead (bounded memory)
_POLL_S = 0.05


class _Reader(threading.Thread):
    def __init__(self, batches: Iterable[pa.RecordBatch], numbers: RowNumbers) -> None:
        super().__init__(name="csv-reader", daemon=True)
        self._batches = batches
        self._numbers = numbers
        self.items: queue.Queue[Item | BaseException] = queue.Queue(_DEPTH)
        self.stop = threading.Event()

    def _put(self, item: Item | BaseException) -> bool:
        while not self.stop.is_set():
            try:
                self.items.put(item, timeout=_POLL_S)
            except queue.Full:
                continue
            return True
        return False

    def run(self) -> None:
        try:
            for batch in self._batches:
                if not self._put((batch, *self._numbers.take(batch.num_rows))):
                    return
            self._put((None, None, self._numbers.finish()))
        except BaseException as error:  # handed to the caller, which re-raises it
            self._put(error)


def several_cpus() -> bool:
    """True when this process may run on more than one CPU (threads can then overlap)."""
    return len(os.sched_getaffinity(0)) > 1


def _inline(batches: Iterable[pa.RecordBatch], numbers: RowNumbers) -> Iterator[Item]:
    for batch in batches:
        yield (batch, *numbers.take(batch.num_rows))
    yield (None, None, numbers.finish())


def prefetched(batches: Iterable[pa.RecordBatch], numbers: RowNumbers) -> Generator[Item, None, None]:
    """Yield ``(batch, rows, rejects)``, read ahead on a thread when there are several CPUs.

    The last item has batch None and the malformed rows after the last batch. Close the
    generator when stopping early (the reading thread stops and is joined).
    """
    if not several_cpus():
        yield from _inline(batches, numbers)
        return
    reader = _Reader(batches, numbers)
    reader.start()
    try:
        while True:
            item = reader.items.get()
            if isinstance(item, BaseException):
                raise item
            yield item
            if item[0] is None:
                return
    finally:
        reader.stop.set()
        reader.join()

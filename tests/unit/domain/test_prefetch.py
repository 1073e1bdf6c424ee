"""The first stage of the data plane runs one batch ahead on a worker thread, and behaves as inline."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from txnpipe.domain import prefetch
from txnpipe.domain.prefetch import Prefetched, ahead

from .helpers import HEADER, csv_line, run


def test_items_arrive_in_order_from_another_thread() -> None:
    # Given a source that records which thread produced each item
    def source() -> Iterator[tuple[int, str]]:
        for number in range(50):
            yield number, threading.current_thread().name

    # When it is prefetched
    with Prefetched(source(), depth=2) as items:
        received = list(items)
    # Then every item arrives, in order, made by the worker thread
    assert [number for number, _ in received] == list(range(50))
    assert {name for _, name in received} == {"prefetch"}


def test_an_error_in_the_source_is_raised_in_the_consumer_after_the_items_before_it() -> None:
    def source() -> Iterator[int]:
        yield 1
        yield 2
        raise ValueError("block 3 is broken")

    received = []
    with pytest.raises(ValueError, match="block 3 is broken"), Prefetched(source()) as items:
        received.extend(items)
    assert received == [1, 2]


def test_a_consumer_that_stops_early_stops_the_worker() -> None:
    # Given an endless source
    def endless() -> Iterator[int]:
        number = 0
        while True:
            number += 1
            yield number

    # When the consumer leaves after two items
    items = Prefetched(endless(), depth=1)
    first = [item for _, item in zip(range(2), items, strict=False)]
    items.close()
    # Then the worker has ended
    assert first == [1, 2]
    assert not items._worker.is_alive()


def test_without_a_spare_cpu_the_source_is_iterated_inline(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(prefetch, "spare_cpu", lambda: False)
    names = []
    with ahead(iter(range(3))) as items:
        for _ in items:
            names.append(threading.current_thread().name)
    assert set(names) == {threading.main_thread().name}


def test_a_file_gives_the_same_result_with_and_without_the_worker(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a file of many small blocks with a malformed row, a duplicate and a bad amount
    lines = [HEADER, *(csv_line(f"T{number}") for number in range(300)), "T9,short",
             csv_line("T5"), csv_line("T301", amount="-1")]
    data = ("\n".join(lines) + "\n").encode()
    # When it is processed with the worker thread and inline
    monkeypatch.setattr(prefetch, "spare_cpu", lambda: True)
    threaded = run(data, tmp_path / "threaded", block_size=1024)
    monkeypatch.setattr(prefetch, "spare_cpu", lambda: False)
    inline = run(data, tmp_path / "inline", block_size=1024)
    # Then the results are the same
    assert threaded == inline
    assert (threaded.rows_valid, threaded.rows_rejected) == (300, 3)

"""The Parquet sink writes in the background with several CPUs and cleans up after itself."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from txnpipe.domain.schema import PROCESSED_SCHEMA
from txnpipe.domain.sinks import _FLUSH_ROWS, ProcessedSink

pytestmark = pytest.mark.skipif(len(os.sched_getaffinity(0)) < 2, reason="the writer thread needs 2 CPUs")


def _rows(count: int) -> pa.Table:
    def text(value: str) -> pa.Array:
        return pa.repeat(pa.scalar(value), count)

    number = pa.repeat(pa.scalar(1, pa.int64()), count)
    arrays = [text("T"), text("A"), text("1"), text("USD"), text("DEBIT"), text("2024-01-01T00:00:00Z"),
              text("M"), text("d"), number, number,
              pa.repeat(pa.scalar(1_704_067_200_000_000, pa.int64()), count).cast(pa.timestamp("us", tz="UTC")),
              text("f1"), number, text("2026-11-25T10:00:00Z")]
    return pa.Table.from_arrays(arrays, schema=PROCESSED_SCHEMA)


def _writer_threads() -> list[str]:
    return [thread.name for thread in threading.enumerate() if thread.name.startswith("parquet")]


def test_a_full_buffer_is_written_on_a_thread_and_closed_cleanly(tmp_path: Path) -> None:
    # Given a sink fed more rows than one flush holds
    sink = ProcessedSink(tmp_path, "p1", "f1")
    sink.add_day("2024-01-01", _rows(_FLUSH_ROWS))
    # When the write is in flight, Then a writer thread does it
    assert _writer_threads() != []
    # When the sink is closed, Then every row is in the file and the thread is gone
    paths = sink.close()
    assert pq.read_metadata(tmp_path / paths[0]).num_rows == _FLUSH_ROWS
    assert _writer_threads() == []


def test_abort_waits_for_the_write_and_deletes_the_file(tmp_path: Path) -> None:
    sink = ProcessedSink(tmp_path, "p1", "f1")
    sink.add_day("2024-01-01", _rows(_FLUSH_ROWS))
    sink.abort()
    assert (list(tmp_path.rglob("*.parquet")), _writer_threads()) == ([], [])

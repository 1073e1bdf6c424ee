"""Writers for processed Parquet partitions and the quarantine JSON Lines file."""

from __future__ import annotations

import json
import re
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import IO

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from txnpipe.domain.prefetch import spare_cpu
from txnpipe.domain.results import RowError
from txnpipe.domain.schema import PROCESSED_SCHEMA

_SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.=-]*", re.ASCII)
_FLUSH_ROWS = 262_144
_WRITER_THREADS = 2
#: Low-cardinality columns get dictionary encoding; statistics only where queries filter.
_DICTIONARY_COLUMNS = (
    "currency", "transaction_type", "file_id", "ingested_at", "account_id", "merchant_id", "description",
)
_STATISTICS_COLUMNS = ("timestamp_utc", "source_row")


def check_path_component(name: str, what: str) -> str:
    """Raise ValueError unless ``name`` is safe as one path component (no '/', not '..')."""
    if _SAFE_NAME.fullmatch(name) is None or ".." in name:
        raise ValueError(f"{what} {name!r} is not a safe path component")
    return name


class ProcessedSink:
    """Buffers valid rows per transaction date and writes snappy Parquet, Hive-partitioned."""

    def __init__(self, out_dir: Path, partner_id: str, file_id: str) -> None:
        self._out_dir = out_dir
        self._partner = check_path_component(partner_id, "partner_id")
        self._file_id = check_path_component(file_id, "file_id")
        self._buffers: dict[str, list[pa.Table]] = {}
        self._buffered = 0
        self._writers: dict[str, pq.ParquetWriter] = {}
        self._executor: ThreadPoolExecutor | None = None
        self._pending: list[Future[None]] = []
        self.rows = 0

    def relative_path(self, date: str) -> Path:
        """Path of the Parquet file of one transaction date, relative to out_dir."""
        return Path("processed", f"transaction_date={date}", f"partner_id={self._partner}",
                    f"{self._file_id}.parquet")

    def add(self, table: pa.Table) -> None:
        """Add rows (PROCESSED_SCHEMA); partitions by the UTC date of timestamp_utc."""
        if table.num_rows == 0:
            return
        dates = pc.cast(table.column("timestamp_utc"), pa.date32())
        uniques = pc.unique(dates)
        for day in uniques.to_pylist():
            part = table if len(uniques) == 1 else table.filter(pc.equal(dates, pa.scalar(day)))
            self._buffers.setdefault(day.isoformat(), []).append(part)
        self._buffered += table.num_rows
        self.rows += table.num_rows
        if self._buffered >= _FLUSH_ROWS:
            self.flush()

    def add_day(self, date: str, table: pa.Table) -> None:
        """Add rows (PROCESSED_SCHEMA) whose UTC date is ``date`` (``YYYY-MM-DD``)."""
        self._buffers.setdefault(date, []).append(table)
        self._buffered += table.num_rows
        self.rows += table.num_rows
        if self._buffered >= _FLUSH_ROWS:
            self.flush()

    def flush(self) -> None:
        """Hand every buffered partition to the writer thread (one row group each).

        Parquet encoding and compression release the GIL, so with several CPUs they overlap
        with parsing and validating the next rows (with one CPU they are written right away).
        Each date's file is written by its own task (two writer threads: the last flush, which
        nothing else overlaps, is shared out). At most one flush is in flight (bounded memory);
        a write's error is raised by the next flush, ``wait``, ``dates`` or ``close``.
        """
        if not self._buffers:
            return
        parts = {date: pa.concat_tables(tables) for date, tables in self._buffers.items()}
        self._buffers.clear()
        self._buffered = 0
        self._wait()
        if not spare_cpu():
            for date, table in parts.items():
                self._write(date, table)
            return
        if self._executor is None:
            self._executor = ThreadPoolExecutor(max_workers=_WRITER_THREADS, thread_name_prefix="parquet")
        self._pending = [self._executor.submit(self._write, date, table) for date, table in parts.items()]

    def _write(self, date: str, table: pa.Table) -> None:
        """Append one row group to the date's file (one task per date at a time)."""
        writer = self._writers.get(date)
        if writer is None:
            path = self._out_dir / self.relative_path(date)
            path.parent.mkdir(parents=True, exist_ok=True)
            writer = pq.ParquetWriter(
                path, PROCESSED_SCHEMA, compression="snappy",
                use_dictionary=list(_DICTIONARY_COLUMNS), write_statistics=list(_STATISTICS_COLUMNS),
            )
            self._writers[date] = writer
        writer.write_table(table, row_group_size=1 << 20)

    def wait(self) -> None:
        """Write out everything buffered and wait for it; raises a write's error."""
        self.flush()
        self._wait()

    def _wait(self) -> None:
        pending, self._pending = self._pending, []
        for future in pending:
            future.exception()  # every task has ended before the first error is raised
        for future in pending:
            future.result()

    def _stop(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True)
            self._executor = None

    def close(self) -> list[Path]:
        """Flush, close all files and return their relative paths (sorted)."""
        self.flush()
        try:
            self._wait()
        finally:
            self._stop()
        for writer in self._writers.values():
            writer.close()
        return sorted(self.relative_path(date) for date in self._writers)

    def dates(self) -> list[str]:
        """Transaction dates written or buffered so far (sorted)."""
        self._wait()
        return sorted(set(self._writers) | set(self._buffers))

    def abort(self) -> None:
        """Close and delete everything written (used when the file is rejected)."""
        pending, self._pending = self._pending, []
        for future in pending:
            future.exception()  # wait; the file is being rejected or failed already
        self._stop()
        for writer in self._writers.values():
            writer.close()
        for date in self._writers:
            (self._out_dir / self.relative_path(date)).unlink(missing_ok=True)
        self._writers.clear()
        self._buffers.clear()


class QuarantineSink:
    """Writes rejected rows as JSON Lines ``{"row", "reason", "raw"}`` and keeps the first errors."""

    def __init__(self, out_dir: Path, file_id: str, max_errors: int) -> None:
        self.relative_path = Path("quarantine", f"{check_path_component(file_id, 'file_id')}.jsonl")
        self._path = out_dir / self.relative_path
        self._handle: IO[str] | None = None
        self._max_errors = max_errors
        self.errors: list[RowError] = []
        self.rows = 0

    def add(self, row: int, reason: str, raw: object) -> None:
        """Record a rejected row; ``raw`` is any JSON-serialisable value."""
        self.add_raw_json(row, reason, json.dumps(raw, ensure_ascii=False))

    def add_raw_json(self, row: int, reason: str, raw_json: str) -> None:
        """Record a rejected row whose raw value is already one-line JSON text."""
        if self._handle is None:
            self._path.parent.mkdir(parents=True, exist_ok=True)
            self._handle = self._path.open("w", encoding="utf-8", newline="\n")
        reason_json = json.dumps(reason, ensure_ascii=False)
        self._handle.write(f'{{"row": {row}, "reason": {reason_json}, "raw": {raw_json}}}\n')
        if len(self.errors) < self._max_errors:
            self.errors.append(RowError(row, reason))
        self.rows += 1

    def close(self) -> Path | None:
        """Close the file; return its relative path, or None when no row was rejected."""
        if self._handle is None:
            return None
        self._handle.close()
        return self.relative_path

    def abort(self) -> None:
        """Close and delete the file (used when the file is rejected)."""
        if self._handle is not None:
            self._handle.close()
            self._path.unlink(missing_ok=True)
            self._handle = None

"""process_file: validate a partner file and write processed Parquet + quarantine JSON Lines."""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO, Literal

from txnpipe.domain.csv_arrow import DEFAULT_BLOCK_SIZE, read_csv_arrow
from txnpipe.domain.csv_reference import read_csv_reference
from txnpipe.domain.json_reader import read_json
from txnpipe.domain.results import FileRejected, FileResult, rejected
from txnpipe.domain.rowwise import CountingReader, FileRun
from txnpipe.domain.sinks import ProcessedSink, QuarantineSink

Format = Literal["csv", "json"]
Engine = Literal["arrow", "python"]


def process_file(
    stream: BinaryIO,
    *,
    fmt: Format,
    partner_id: str,
    file_id: str,
    ingested_at: str,
    out_dir: Path,
    max_errors_in_result: int = 1000,
    engine: Engine = "arrow",
    csv_header: bytes | None = None,
    first_row: int = 1,
    block_size: int = DEFAULT_BLOCK_SIZE,
) -> FileResult:
    """Validate every row of ``stream`` (read incrementally) and write the outputs under out_dir.

    ``engine="python"`` uses the row-wise reference reader for CSV (JSON is always row-wise).
    ``csv_header``/``first_row`` process one byte-range chunk of a CSV (see ``chunks.py``):
    the header line is prepended and rows are numbered from ``first_row``; duplicate ids are
    only detected within the chunk. Data problems never raise; I/O and usage errors do.
    """
    reader = CountingReader(stream)
    processed = ProcessedSink(out_dir, partner_id, file_id)
    quarantine = QuarantineSink(out_dir, file_id, max_errors_in_result)
    run = FileRun(processed, quarantine, file_id, ingested_at)
    try:
        _dispatch(reader, run, fmt, engine, csv_header, first_row, block_size)
        processed.wait()  # Parquet is written in the background: its errors surface here
    except FileRejected as rejection:
        processed.abort()
        quarantine.abort()
        return rejected(rejection.reason, reader.bytes_read)
    except BaseException:
        processed.abort()
        quarantine.abort()
        raise
    dates = processed.dates()
    files = processed.close()
    return FileResult(
        status="VALID" if quarantine.rows == 0 else "INVALID_ROWS",
        rows_total=processed.rows + quarantine.rows,
        rows_valid=processed.rows,
        rows_rejected=quarantine.rows,
        reject_reason=None,
        errors=sorted(quarantine.errors, key=lambda error: error.row),
        processed_files=files,
        quarantine_file=quarantine.close(),
        min_transaction_date=dates[0] if dates else None,
        max_transaction_date=dates[-1] if dates else None,
        bytes_read=reader.bytes_read,
    )


def _dispatch(
    reader: CountingReader, run: FileRun, fmt: Format, engine: Engine,
    csv_header: bytes | None, first_row: int, block_size: int,
) -> None:
    if fmt == "json":
        read_json(reader, run)
        return
    if fmt != "csv":
        raise ValueError(f"unknown format {fmt!r} (expected 'csv' or 'json')")
    source: CountingReader = reader
    if csv_header is not None:
        source = CountingReader(_HeaderThen(csv_header, reader))  # type: ignore[arg-type]
    if engine == "python":
        read_csv_reference(source, run, first_row)
    else:
        read_csv_arrow(source, run, first_row, block_size)


class _HeaderThen:
    """A header line followed by a chunk's bytes."""

    def __init__(self, header: bytes, reader: CountingReader) -> None:
        self._header = header if header.endswith(b"\n") else header + b"\n"
        self._reader = reader

    def read(self, size: int = -1) -> bytes:
        """Header bytes first, then the chunk."""
        if not self._header:
            return self._reader.read(size)
        if size < 0:
            data, self._header = self._header + self._reader.read(), b""
            return data
        data, self._header = self._header[:size], self._header[size:]
        return data

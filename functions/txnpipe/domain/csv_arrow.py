"""Fast CSV path: Arrow's streaming CSV reader plus vectorised checks.

Rows that pass the strict vectorised checks are valid by construction; every other row goes
through the reference ``validate_record``, so reasons are identical to the row-wise path.
"""

from __future__ import annotations

import csv
import io
from collections import deque
from typing import TYPE_CHECKING

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from txnpipe.domain.csv_arrow_checks import clean_mask, derive_columns
from txnpipe.domain.csv_reference import wrong_field_count
from txnpipe.domain.headers import check_header
from txnpipe.domain.results import FileRejected
from txnpipe.domain.rules import DUPLICATE_REASON, check_identifier, validate_record

if TYPE_CHECKING:
    from typing_extensions import Buffer

    from txnpipe.domain.rowwise import CountingReader, FileRun

_BOM = b"\xef\xbb\xbf"
_PEEK = 1 << 16
_MAX_HEADER = 1 << 20
DEFAULT_BLOCK_SIZE = 4 << 20


class _Prefixed(io.RawIOBase):
    """``prefix`` followed by the rest of ``reader``."""

    def __init__(self, prefix: bytes, reader: CountingReader) -> None:
        super().__init__()
        self._prefix = prefix
        self._reader = reader

    def readable(self) -> bool:
        """Always readable."""
        return True

    def read(self, size: int | None = -1) -> bytes:
        """Prefix bytes first, then the underlying stream."""
        if self._prefix:
            if size is None or size < 0:
                data, self._prefix = self._prefix + self._reader.read(), b""
                return data
            data, self._prefix = self._prefix[:size], self._prefix[size:]
            return data
        return self._reader.read(-1 if size is None else size)

    def readinto(self, buffer: Buffer) -> int:
        """Fill ``buffer``; 0 at end of stream."""
        view = memoryview(buffer).cast("B")
        data = self.read(len(view))
        view[: len(data)] = data
        return len(data)


def _header_end(data: bytes) -> int:
    """Index of the first LF outside quotes, or -1."""
    position = data.find(b"\n")
    while position >= 0 and data.count(b'"', 0, position) % 2:
        position = data.find(b"\n", position + 1)
    return position


def peek_header(reader: CountingReader) -> tuple[bytes, list[str]]:
    """Read up to the end of the header; return (bytes from the header on, column names)."""
    buf = b""
    while True:
        chunk = reader.read(_PEEK)
        buf += chunk
        data = (buf[3:] if buf.startswith(_BOM) else buf).lstrip(b"\r\n")
        end = _header_end(data)
        if end >= 0 or not chunk:
            break
        if len(buf) > _MAX_HEADER:
            raise FileRejected("not parseable as CSV: no header line within 1 MiB")
    if not data:
        raise FileRejected("empty file")
    line = data[:end] if end >= 0 else data
    try:
        text = line.rstrip(b"\r").decode("utf-8")
        names = next(csv.reader([text], strict=True))
    except UnicodeDecodeError as error:
        raise FileRejected(f"not UTF-8 encoded (byte offset {error.start})") from error
    except csv.Error as error:
        raise FileRejected(f"not parseable as CSV: {error}") from error
    return data, names


def arange(start: int, count: int) -> pa.Array:
    """int64 array ``start, start+1, ..., start+count-1`` (vectorised)."""
    if count <= 0:
        return pa.array([], pa.int64())
    ones = pa.repeat(pa.scalar(1, pa.int64()), count)
    return pc.add(pc.cumulative_sum(ones), pa.scalar(start - 1, pa.int64()))


class _RowNumbers:
    """Maps Arrow batches to data-row numbers, skipping rows Arrow reported as malformed."""

    def __init__(self, first_row: int, width: int, run: FileRun) -> None:
        self.next_row = first_row
        self._offset = first_row - 2  # Arrow numbers records 1-based with the header as 1
        self._width = width
        self._run = run
        self._invalid: deque[tuple[int, str, int]] = deque()

    def handler(self, row: pacsv.InvalidRow) -> str:
        """Arrow invalid_row_handler: remember the row, skip it."""
        number = row.number + self._offset if row.number >= 0 else -1
        self._invalid.append((number, row.text, row.actual_columns))
        return "skip"

    def _emit_invalid_before(self, limit: int) -> None:
        while self._invalid and (self._invalid[0][0] < limit or self._invalid[0][0] < 0):
            number, text, actual = self._invalid.popleft()
            fields = next(csv.reader([text]), [])
            self._run.reject(number, wrong_field_count(self._width, actual), fields)

    def take(self, count: int) -> pa.Array:
        """Row numbers (int64 array) for the next ``count`` good rows."""
        start = self.next_row
        if not self._invalid or self._invalid[0][0] >= start + count:
            self.next_row += count
            return arange(start, count)
        segments: list[pa.Array] = []
        row, remaining = start, count
        for number in sorted(n for n, _, _ in self._invalid if n >= start):
            if remaining == 0:
                break
            length = min(number - row, remaining)
            segments.append(arange(row, length))
            remaining -= length
            row = number + 1 if length == number - row else row + length
        if remaining:
            segments.append(arange(row, remaining))
            row += remaining
        self.next_row = row
        self._emit_invalid_before(row)
        return pa.concat_arrays(segments)

    def finish(self) -> None:
        """Emit malformed rows after the last batch."""
        self._emit_invalid_before(1 << 62)


def read_csv_arrow(
    reader: CountingReader, run: FileRun, first_row: int = 1, block_size: int = DEFAULT_BLOCK_SIZE
) -> None:
    """Validate every data row of a CSV stream into ``run`` using Arrow (bounded blocks)."""
    data, names = peek_header(reader)
    check_header(names)
    numbers = _RowNumbers(first_row, len(names), run)
    try:
        batches = pacsv.open_csv(
            _Prefixed(data, reader),
            read_options=pacsv.ReadOptions(
                use_threads=False, block_size=max(block_size, _header_end(data) + 2)
            ),
            parse_options=pacsv.ParseOptions(
                newlines_in_values=True, invalid_row_handler=numbers.handler
            ),
            convert_options=pacsv.ConvertOptions(
                column_types={name: pa.string() for name in names},
                strings_can_be_null=False, quoted_strings_can_be_null=False,
            ),
        )
        for batch in batches:
            _batch(batch, numbers.take(batch.num_rows), run)
    except pa.ArrowInvalid as error:
        message = str(error)
        # A malformed row holding invalid UTF-8 cannot reach our handler (pyarrow fails to
        # decode its text first) and surfaces as a field-count error with U+FFFD in it.
        if "UTF8" in message or "utf8" in message or "\ufffd" in message:
            raise FileRejected("not UTF-8 encoded") from error
        raise FileRejected(f"not parseable as CSV: {message}") from error
    numbers.finish()


def _batch(batch: pa.RecordBatch, rows: pa.Array, run: FileRun) -> None:
    clean, utc = clean_mask(batch)
    tid = batch.column("transaction_id")
    unclean = pc.indices_nonzero(pc.invert(clean)).to_pylist()
    if not unclean:
        duplicates = set(run.ids.duplicates_in_array(tid))
    else:
        tid_ok = _well_formed_ids(batch, rows, unclean)
        positions = pc.indices_nonzero(tid_ok)
        found = run.ids.duplicates_in_array(tid.filter(tid_ok))
        duplicates = set(positions.take(pa.array(found, pa.int64())).to_pylist())
    suspects = sorted(set(unclean) | duplicates)
    keep = clean
    if suspects:
        keep = _reject_suspects(batch, rows, run, suspects, duplicates, clean)
    dates = pc.cast(utc, pa.date32())
    order = pc.indices_nonzero(keep)
    if len(order):
        order = order.take(pc.sort_indices(dates.take(order)))
        good = batch.take(order)
        table = derive_columns(good, utc.take(order), rows.take(order), run.file_id, run.ingested_at)
        run.processed.add_sorted(table, dates.take(order))


def _well_formed_ids(batch: pa.RecordBatch, rows: pa.Array, unclean: list[int]) -> pa.Array:
    """Mask of rows whose transaction_id is well formed (clean rows are, by construction)."""
    records = batch.column("transaction_id").take(pa.array(unclean, pa.int64())).to_pylist()
    malformed = [
        index for index, value in zip(unclean, records, strict=True)
        if check_identifier({"transaction_id": value}, "transaction_id") is not None
    ]
    if not malformed:
        return pa.repeat(pa.scalar(True), batch.num_rows)
    bad_rows = rows.take(pa.array(malformed, pa.int64()))
    return pc.invert(pc.is_in(rows, value_set=bad_rows))


def _reject_suspects(
    batch: pa.RecordBatch, rows: pa.Array, run: FileRun,
    suspects: list[int], duplicates: set[int], clean: pa.Array,
) -> pa.Array:
    indices = pa.array(suspects, pa.int64())
    records = batch.take(indices).to_pylist()
    numbers = rows.take(indices).to_pylist()
    for index, number, record in zip(suspects, numbers, records, strict=True):
        outcome = DUPLICATE_REASON if index in duplicates else validate_record(record)
        if isinstance(outcome, str):
            run.reject(number, outcome, record)
        else:
            run.accept(number, outcome)
    run.flush_pending()
    return pc.and_(clean, pc.invert(pc.is_in(rows, value_set=pa.array(numbers, pa.int64()))))

"""Fast CSV path: Arrow's streaming CSV reader, batches validated by ``csv_arrow_batch``.

Rows that pass the strict vectorised checks are valid by construction; every other row goes
through the reference ``validate_record``, so reasons are identical to the row-wise path.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

import pyarrow as pa
import pyarrow.csv as pacsv

from txnpipe.domain.csv_arrow_batch import BatchPipeline
from txnpipe.domain.csv_arrow_checks import CheckedBatch, check_batch
from txnpipe.domain.csv_arrow_rows import Reject, RowNumbers
from txnpipe.domain.csv_arrow_utf8 import Utf8Checked
from txnpipe.domain.headers import check_header
from txnpipe.domain.prefetch import ahead
from txnpipe.domain.results import FileRejected

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


def read_csv_arrow(
    reader: CountingReader, run: FileRun, first_row: int = 1, block_size: int = DEFAULT_BLOCK_SIZE
) -> None:
    """Validate every data row of a CSV stream into ``run`` using Arrow (bounded blocks).

    Two stages: parse + row numbers + vectorised checks (GIL-free C++), then duplicates,
    judgement and output; with a spare CPU the first runs up to two batches ahead on its own
    thread.
    """
    data, names = peek_header(reader)
    check_header(names)
    numbers = RowNumbers(first_row, len(names))
    pipeline = BatchPipeline(run)
    source = Utf8Checked(_Prefixed(data, reader))
    try:
        batches = pacsv.open_csv(
            source,
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
        with ahead(_checked(batches, numbers), depth=2) as stage:
            for batch, rows, rejects, checked in stage:
                _quarantine(run, rejects)
                pipeline.process(batch, rows, checked)
    except pa.ArrowInvalid as error:
        source.raise_rejection()  # the stream ended early at invalid UTF-8: that is the reason
        raise FileRejected(f"not parseable as CSV: {error}") from error
    source.raise_rejection()
    _quarantine(run, numbers.finish())


def _checked(
    batches: Iterable[pa.RecordBatch], numbers: RowNumbers
) -> Iterator[tuple[pa.RecordBatch, pa.Array, list[Reject], CheckedBatch]]:
    """The first stage: each batch with its row numbers, the malformed rows before it, its checks."""
    for batch in batches:
        rows, rejects = numbers.take(batch.num_rows)
        yield batch, rows, rejects, check_batch(batch)


def _quarantine(run: FileRun, rejects: list[Reject]) -> None:
    for row, reason, fields in rejects:
        run.reject(row, reason, fields)

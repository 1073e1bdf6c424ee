"""Per-file state shared by all readers: duplicate index, row-wise acceptance, sinks."""

from __future__ import annotations

import io
import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, BinaryIO

import pyarrow as pa
import pyarrow.compute as pc

from txnpipe.domain.rules import DUPLICATE_REASON, Transaction, check_identifier, validate_record
from txnpipe.domain.schema import transactions_table
from txnpipe.domain.sinks import ProcessedSink, QuarantineSink

if TYPE_CHECKING:
    from typing_extensions import Buffer

_PENDING_ROWS = 50_000


class CountingReader(io.RawIOBase):
    """Wraps a binary stream and counts the bytes read (streams are read in bounded pieces)."""

    def __init__(self, stream: BinaryIO) -> None:
        super().__init__()
        self._stream = stream
        self.bytes_read = 0

    def readable(self) -> bool:
        """Always readable."""
        return True

    def read(self, size: int | None = -1) -> bytes:
        """Read up to ``size`` bytes (all remaining when negative)."""
        data = self._stream.read(-1 if size is None else size)
        self.bytes_read += len(data)
        return data

    def readinto(self, buffer: Buffer) -> int:
        """Fill ``buffer`` from the stream; 0 at end of stream."""
        view = memoryview(buffer).cast("B")
        data = self.read(len(view))
        view[: len(data)] = data
        return len(data)


def strings_of(array: pa.Array) -> list[str]:
    """Python strings of a string array whose values contain no LF (faster than ``to_pylist``)."""
    if len(array) == 0 or array.type != pa.string():
        return [str(value) for value in array.to_pylist()]
    joined = pc.binary_join_element_wise(array, pa.scalar(""), "\n")
    offsets = memoryview(joined.buffers()[1]).cast("i")
    first, last = offsets[joined.offset], offsets[joined.offset + len(joined)]
    text = bytes(memoryview(joined.buffers()[2])[first:last]).decode("utf-8")
    return text.split("\n")[: len(array)]


class IdIndex:
    """Remembers well-formed transaction ids seen earlier in the file (exact, ~100 B per id)."""

    def __init__(self) -> None:
        self._seen: set[str] = set()

    def duplicates(self, ids: list[str]) -> list[int]:
        """Register ``ids`` in order; return positions of ids seen earlier (in file or list)."""
        batch = set(ids)
        if len(batch) == len(ids) and self._seen.isdisjoint(batch):
            self._seen |= batch
            return []
        positions = []
        for position, value in enumerate(ids):
            if value in self._seen:
                positions.append(position)
            else:
                self._seen.add(value)
        return positions

    def duplicates_in_array(self, ids: pa.Array) -> list[int]:
        """Like :meth:`duplicates` for an Arrow string array, with C-speed common case."""
        values = strings_of(ids)
        batch = set(values)
        if len(batch) == len(values) and self._seen.isdisjoint(batch):
            self._seen |= batch
            return []
        counts = pc.value_counts(ids)
        repeated = counts.field("values").filter(pc.greater(counts.field("counts"), 1))
        candidates = (batch & self._seen) | set(repeated.to_pylist())
        positions = pc.indices_nonzero(pc.is_in(ids, value_set=pa.array(list(candidates), pa.string())))
        found = []
        for position in positions.to_pylist():
            if values[position] in self._seen:
                found.append(position)
            else:
                self._seen.add(values[position])
        self._seen |= batch
        return found


class FileRun:
    """Mutable state of processing one file: counts, sinks and the id index."""

    def __init__(self, processed: ProcessedSink, quarantine: QuarantineSink,
                 file_id: str, ingested_at: str) -> None:
        self.processed = processed
        self.quarantine = quarantine
        self.ids = IdIndex()
        self.file_id = file_id
        self.ingested_at = ingested_at
        self._pending: list[tuple[int, Transaction]] = []

    def judge(self, record: Mapping[str, object]) -> Transaction | str:
        """validate_record plus the file-level duplicate rule (checked right after the id format)."""
        well_formed = check_identifier(record, "transaction_id") is None
        if well_formed and self.ids.duplicates([str(record["transaction_id"])]):
            return DUPLICATE_REASON
        return validate_record(record)

    def accept(self, row: int, txn: Transaction) -> None:
        """Queue a valid row for the Parquet output."""
        self._pending.append((row, txn))
        if len(self._pending) >= _PENDING_ROWS:
            self.flush_pending()

    def reject(self, row: int, reason: str, raw: object) -> None:
        """Quarantine a row; ``raw`` is JSON-serialisable."""
        self.quarantine.add_raw_json(row, reason, json.dumps(raw, ensure_ascii=False))

    def flush_pending(self) -> None:
        """Hand queued row-wise results to the Parquet sink."""
        if self._pending:
            self.processed.add(transactions_table(self._pending, self.file_id, self.ingested_at))
            self._pending = []

"""Scale-out support: split a CSV into byte ranges at record boundaries (quote-aware).

The pipeline processes each range with ``process_file(..., csv_header=plan.header,
first_row=chunk.first_row)`` in parallel. Duplicate transaction ids are only detected inside a
chunk; :func:`cross_chunk_duplicates` finds the rest afterwards (from the chunks' outputs).
Assumes RFC 4180 quoting (a quote opens a field only at its start) and LF or CRLF line ends.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import BinaryIO

_BOM = b"\xef\xbb\xbf"
_READ = 8 << 20


@dataclass(frozen=True, slots=True)
class Chunk:
    """Bytes ``[start, end)`` of the file; its first data row has number ``first_row``."""

    start: int
    end: int
    first_row: int


@dataclass(frozen=True, slots=True)
class ChunkPlan:
    """Header line (without BOM and line end), the chunks and the number of data rows."""

    header: bytes
    chunks: list[Chunk] = field(default_factory=list)
    rows: int = 0


class _Scanner:
    """Tracks quote parity, record counts and cut points over a stream of lines."""

    def __init__(self, chunk_bytes: int) -> None:
        self.chunk_bytes = chunk_bytes
        self.in_quote = False
        self.records = 0  # data records so far (header excluded)
        self.header: bytes | None = None
        self.header_end = 0
        self.chunks: list[Chunk] = []
        self.chunk_start = 0
        self.chunk_first_row = 1

    def line(self, text: bytes, end: int) -> None:
        """Consume one line (without its LF) that ends at absolute offset ``end``."""
        quotes = text.count(b'"') & 1
        if self.in_quote:
            self.in_quote = not quotes  # an odd number of quotes closes the field
        elif text in (b"", b"\r"):
            pass  # blank line: skipped, not counted
        elif self.header is None:
            self.header = text.rstrip(b"\r")
            self.in_quote = bool(quotes)
        else:
            self.records += 1
            self.in_quote = bool(quotes)
        if not self.in_quote:
            self._boundary(end)

    def _boundary(self, end: int) -> None:
        if self.header is not None and self.header_end == 0:
            self.header_end = self.chunk_start = end
            return
        if end - self.chunk_start >= self.chunk_bytes and self.header_end:
            self.chunks.append(Chunk(self.chunk_start, end, self.chunk_first_row))
            self.chunk_start, self.chunk_first_row = end, self.records + 1


def plan_chunks(stream: BinaryIO, chunk_bytes: int) -> ChunkPlan:
    """Scan ``stream`` once (bounded memory) and cut it into ranges of about ``chunk_bytes``.

    Cuts only fall after a complete record (never inside a quoted field). If the file ends
    inside quotes, a single chunk covering everything after the header is returned, so the
    normal path reports the file as unparseable.
    """
    scanner = _Scanner(max(1, chunk_bytes))
    offset, carry, first = 0, b"", True
    while block := stream.read(_READ):
        if first and block.startswith(_BOM):
            carry, offset = b"", 3
            block = block[3:]
        first = False
        lines = (carry + block).split(b"\n")
        carry = lines.pop()
        for text in lines:
            offset += len(text) + 1
            scanner.line(text, offset)
    if carry:
        offset += len(carry)
        scanner.line(carry, offset)
    if scanner.header is None:
        return ChunkPlan(b"")
    if scanner.in_quote:
        return ChunkPlan(scanner.header, [Chunk(scanner.header_end, offset, 1)], scanner.records)
    if scanner.chunk_start < offset or not scanner.chunks:
        scanner.chunks.append(Chunk(scanner.chunk_start, offset, scanner.chunk_first_row))
    return ChunkPlan(scanner.header, scanner.chunks, scanner.records)


def cross_chunk_duplicates(rows: Iterable[tuple[int, str]]) -> list[int]:
    """Given (source_row, transaction_id) of rows accepted by chunks, return the source rows
    that repeat an id seen in an earlier row (the earliest row keeps the id), sorted."""
    first: dict[str, int] = {}
    later: list[int] = []
    for row, transaction_id in rows:
        kept = first.get(transaction_id)
        if kept is None:
            first[transaction_id] = row
        elif row < kept:
            first[transaction_id] = row
            later.append(kept)
        else:
            later.append(row)
    return sorted(later)

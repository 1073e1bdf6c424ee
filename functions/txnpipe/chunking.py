"""Row-aligned byte ranges of a large CSV (pure): the plan the Distributed Map works through.

A newline ends a row only outside quotes (RFC 4180); quote parity is tracked across lines,
so a quoted field with line breaks is never cut. Blank lines are not rows (the contract), so
`first_row` of each chunk is the 1-based number of its first data row in the whole file.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

UTF8_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class Chunk:
    """Bytes [start, end) of the file, holding data rows first_row, first_row+1, ..."""

    index: int
    start: int
    end: int
    first_row: int

    def as_item(self) -> dict[str, Any]:
        """The manifest entry (one Distributed Map item)."""
        return asdict(self)


def plan(lines: Iterable[bytes], *, chunk_bytes: int) -> tuple[bytes, list[Chunk]]:
    """Return the header line and the chunks, each ending at a row boundary near `chunk_bytes`."""
    iterator = iter(lines)
    header = b""
    offset = 0
    for line in iterator:  # the header may itself span lines (quoted names)
        header += line
        offset += len(line)
        if header.count(b'"') % 2 == 0:
            break
    chunks: list[Chunk] = []
    start, row, first_row, in_quotes, row_has_data = offset, 0, 1, False, False
    for line in iterator:
        offset += len(line)
        row_has_data = row_has_data or bool(line.strip(b"\r\n"))
        in_quotes ^= line.count(b'"') % 2 == 1
        if in_quotes:
            continue
        row += row_has_data
        row_has_data = False
        if offset - start >= chunk_bytes:
            chunks.append(Chunk(len(chunks), start, offset, first_row))
            start, first_row = offset, row + 1
    if offset > start or not chunks:
        chunks.append(Chunk(len(chunks), start, offset, first_row))
    return header.removeprefix(UTF8_BOM), chunks

"""Row numbers of Arrow CSV batches, and the rows Arrow reported as malformed."""

from __future__ import annotations

import csv
from collections import deque

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from txnpipe.domain.csv_reference import wrong_field_count

#: A malformed row to quarantine: (row number, reason, its fields).
Reject = tuple[int, str, list[str]]


def arange(start: int, count: int) -> pa.Array:
    """int64 array ``start, start+1, ..., start+count-1`` (vectorised)."""
    if count <= 0:
        return pa.array([], pa.int64())
    ones = pa.repeat(pa.scalar(1, pa.int64()), count)
    return pc.add(pc.cumulative_sum(ones), pa.scalar(start - 1, pa.int64()))


class RowNumbers:
    """Maps Arrow batches to data-row numbers, skipping rows Arrow reported as malformed.

    It returns the malformed rows to quarantine rather than writing them itself.
    """

    def __init__(self, first_row: int, width: int) -> None:
        self.next_row = first_row
        self._offset = first_row - 2  # Arrow numbers records 1-based with the header as 1
        self._width = width
        self._invalid: deque[tuple[int, str, int]] = deque()

    def handler(self, row: pacsv.InvalidRow) -> str:
        """Arrow invalid_row_handler: remember the row, skip it.

        Arrow decodes the row's text before calling this, so the stream is checked for UTF-8
        before Arrow sees it (:class:`~txnpipe.domain.csv_arrow_utf8.Utf8Checked`).
        """
        number = row.number + self._offset if row.number is not None and row.number >= 0 else -1
        self._invalid.append((number, row.text, row.actual_columns))
        return "skip"

    def _invalid_before(self, limit: int) -> list[Reject]:
        rejects = []
        while self._invalid and (self._invalid[0][0] < limit or self._invalid[0][0] < 0):
            number, text, actual = self._invalid.popleft()
            fields = next(csv.reader([text]), [])
            rejects.append((number, wrong_field_count(self._width, actual), fields))
        return rejects

    def take(self, count: int) -> tuple[pa.Array, list[Reject]]:
        """Row numbers (int64 array) for the next ``count`` good rows, malformed rows before them."""
        start = self.next_row
        if not self._invalid or self._invalid[0][0] >= start + count:
            self.next_row += count
            return arange(start, count), []
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
        return pa.concat_arrays(segments), self._invalid_before(row)

    def finish(self) -> list[Reject]:
        """Malformed rows after the last batch."""
        return self._invalid_before(1 << 62)

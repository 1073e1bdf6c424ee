"""Vectorised identifier rule and the file's duplicate-id index (exact) for the Arrow path."""

from __future__ import annotations

import string

import pyarrow as pa
import pyarrow.compute as pc

from txnpipe.domain.rowwise import strings_of
from txnpipe.domain.rules import MAX_ID_LENGTH

#: The identifier alphabet of the contract (ASCII only, like ``rules._ID``).
ID_CHARACTERS = string.ascii_letters + string.digits + "_-"


def identifier_mask(values: pa.Array, *, required: bool) -> pa.Array:
    """True where ``values`` is a valid identifier (``required=False``: empty is valid too).

    ``ascii_trim`` strips allowed characters from both ends, so nothing is left exactly when
    every byte is allowed (a non-ASCII byte is never trimmed); no regular expression per row.
    """
    length = pc.binary_length(values)
    only_allowed = pc.equal(pc.binary_length(pc.ascii_trim(values, ID_CHARACTERS)), 0)
    ok = pc.and_(only_allowed, pc.less_equal(length, MAX_ID_LENGTH))
    if required:
        return pc.and_(ok, pc.greater(length, 0))
    return pc.or_(ok, pc.equal(length, 0))


class DuplicateIndex:
    """Well-formed transaction ids seen so far in the file; exact (a hash set of the strings).

    One set operation per id in the common case (no repeats in the batch): the batch's ids are
    hashed into a small set first, which is cheap, and only then merged into the file's set.
    """

    def __init__(self) -> None:
        self._seen: set[str] = set()

    def __len__(self) -> int:
        return len(self._seen)

    def register(self, ids: pa.Array, well_formed: pa.Array) -> list[int]:
        """Register the well-formed ``ids`` (in order); return positions of ids seen earlier."""
        if pc.all(well_formed).as_py():
            return self._register(strings_of(ids))
        positions = pc.indices_nonzero(well_formed)
        found = self._register(strings_of(ids.filter(well_formed)))
        if not found:
            return []
        return [int(value) for value in positions.take(pa.array(found, pa.int64())).to_pylist()]

    def _register(self, values: list[str]) -> list[int]:
        seen = self._seen
        batch = set(values)
        if len(batch) == len(values) and seen.isdisjoint(batch):
            seen |= batch
            return []
        found = []
        for position, value in enumerate(values):
            if value in seen:
                found.append(position)
            else:
                seen.add(value)
        return found

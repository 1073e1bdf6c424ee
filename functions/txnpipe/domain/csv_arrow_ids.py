"""Vectorised identifier rule and the file's duplicate-id index (hashed, exact) for the Arrow path."""

from __future__ import annotations

import string

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from txnpipe.domain.csv_arrow_hash import HashedIds, hashed_ids
from txnpipe.domain.rules import MAX_ID_LENGTH
from txnpipe.domain.sorted_hashes import Positions, SortedHashes, hash_values

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
    """Well-formed transaction ids seen so far in the file: their 64-bit hashes, sorted; exact.

    Per batch, vectorised work only in the common case: the batch's hashes (Arrow kernels, see
    ``csv_arrow_hash``) are looked up in and merged into the file's sorted hashes
    (``sorted_hashes``). A hash seen before, or twice in the batch, only makes its rows
    suspects: their strings are compared with the earlier ids of the same hash, so a
    collision is never taken for a duplicate. ``hash_mask`` narrows the hashes (tests use it
    to force collisions).
    """

    def __init__(self, *, hash_mask: int = (1 << 64) - 1) -> None:
        self._known = SortedHashes()
        self._mask = None if hash_mask == (1 << 64) - 1 else pa.scalar(hash_mask, pa.uint64())
        self._ids: list[pa.Array] = []  # the well-formed ids registered, batch by batch
        self._hashes: list[pa.Array] = []  # their hashes

    def __len__(self) -> int:
        """Well-formed ids registered so far (repeats included)."""
        return sum(len(ids) for ids in self._ids)

    def register(self, ids: pa.Array, well_formed: pa.Array, hashed: HashedIds | None = None) -> list[int]:
        """Register the well-formed ``ids`` (in order); return positions of ids seen earlier.

        ``hashed``: ``hashed_ids(ids, well_formed)``, if the batch's checks made it already.
        """
        hashed = hashed_ids(ids, well_formed) if hashed is None else hashed
        found = self._register(hashed.ids, hashed.hashes)
        if not found or hashed.every:
            return found
        positions = pc.indices_nonzero(well_formed)
        return [int(value) for value in positions.take(pa.array(found, pa.int64())).to_pylist()]

    def _register(self, ids: pa.Array, hashes: pa.Array) -> list[int]:
        if self._mask is not None:
            hashes = pc.bit_wise_and(hashes, self._mask)
        probe = self._known.add(hashes)
        found: list[int] = []
        if probe.earlier:
            twice = hash_values(hashes)[[group[0] for group in probe.groups]].tolist() if probe.groups else []
            found = self._repeats(ids, hashes, probe.earlier, twice)
        elif probe.groups:
            found = _repeats_within(ids, probe.groups)
        self._ids.append(ids)
        self._hashes.append(hashes)
        return found

    def _repeats(self, ids: pa.Array, hashes: pa.Array, earlier: set[int], twice: list[int]) -> list[int]:
        """Positions of ``ids`` equal to an earlier id of the file or of this batch.

        ``earlier``: hashes an earlier batch registered; ``twice``: hashes repeated in this batch.
        """
        suspects = pa.array(sorted(earlier.union(twice)), pa.uint64())
        rows = pc.indices_nonzero(pc.is_in(hashes, value_set=suspects))
        values = ids.take(rows).to_pylist()
        wanted: dict[int, set[str]] = {}
        for value, key in zip(values, hashes.take(rows).to_pylist(), strict=True):
            if key in earlier:
                wanted.setdefault(key, set()).add(value)
        stored = self._stored(wanted)
        found, first = [], set()
        for position, value in zip(rows.to_pylist(), values, strict=True):
            if value in stored or value in first:
                found.append(position)
            else:
                first.add(value)
        return found

    def _stored(self, wanted: dict[int, set[str]]) -> set[str]:
        """The wanted ids registered before (by hash), newest batches first, until all are found.

        A real repeat usually stops the scan early; only a collision (a wanted hash whose
        id was never registered) scans the whole history.
        """
        stored: set[str] = set()
        for ids, hashes in zip(reversed(self._ids), reversed(self._hashes), strict=True):
            if not wanted:
                break
            hits = pc.is_in(hashes, value_set=pa.array(list(wanted), pa.uint64()))
            if pc.any(hits).as_py():
                found = set(ids.filter(hits).to_pylist())
                stored |= found
                wanted = {key: rest for key, strings in wanted.items() if (rest := strings - found)}
        return stored


def _repeats_within(ids: pa.Array, groups: list[Positions]) -> list[int]:
    """Positions (ascending) of ``ids`` equal to an earlier id of the same batch.

    ``groups`` are the positions sharing a hash; within a group the strings decide, so a
    collision is no repeat.
    """
    values = ids.take(pa.array(np.concatenate(groups))).to_pylist()
    found: list[int] = []
    offset = 0
    for group in groups:
        strings: set[str] = set()
        for position, value in zip(group.tolist(), values[offset : offset + len(group)], strict=True):
            if value in strings:
                found.append(position)
            strings.add(value)
        offset += len(group)
    return sorted(found)

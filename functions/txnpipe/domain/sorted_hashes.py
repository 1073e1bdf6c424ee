"""The file's transaction-id hashes so far, as one sorted numpy array (the duplicate index's core).

A Python set of a million 64-bit ints costs ~300 ns per id on these machines (an int object
each, a cache miss per probe and insert) and holds the GIL throughout, which stalls the
parsing thread. Here a batch's hashes are sorted (numpy's vectorised sort), looked up with
one ``searchsorted`` and merged with one ``insert``: about 110 ns per id, most of it in numpy
loops that release the GIL. Equal ids always hash equal; unequal ids rarely do, which the
caller checks as strings.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pyarrow as pa

Positions = npt.NDArray[np.intp]


@dataclass(frozen=True, slots=True)
class Probe:
    """What one batch's hashes met: hashes registered by earlier batches, and repeats within it."""

    earlier: set[int]  #: hashes of the batch that an earlier batch registered
    groups: list[Positions]  #: for each hash occurring more than once in the batch, its positions (ascending)


def hash_values(hashes: pa.Array) -> npt.NDArray[np.uint64]:
    """A zero-copy numpy view of a uint64 Arrow array without nulls."""
    return np.frombuffer(hashes.buffers()[1], dtype=np.uint64, count=len(hashes), offset=hashes.offset * 8)


class SortedHashes:
    """Every distinct hash added so far, ascending (8 bytes per distinct id)."""

    def __init__(self) -> None:
        self._known: npt.NDArray[np.uint64] = np.empty(0, dtype=np.uint64)

    def __len__(self) -> int:
        """Distinct hashes added."""
        return len(self._known)

    def add(self, hashes: pa.Array) -> Probe:
        """Add one batch's hashes; report which were added before and which repeat in the batch."""
        values = hash_values(hashes)
        order = np.argsort(values)
        ordered = values[order]
        starts = np.empty(len(values), dtype=bool)  # True where a run of equal hashes begins
        starts[:1] = True
        np.not_equal(ordered[1:], ordered[:-1], out=starts[1:])
        distinct = ordered[starts]
        known = self._known
        at = np.searchsorted(known, distinct)
        seen = np.zeros(len(distinct), dtype=bool)
        if len(known):
            seen = known[np.minimum(at, len(known) - 1)] == distinct
        self._known = np.insert(known, at[~seen], distinct[~seen])
        earlier = {int(value) for value in distinct[seen].tolist()}
        return Probe(earlier, _repeated_runs(order, starts))


def _repeated_runs(order: Positions, starts: npt.NDArray[np.bool_]) -> list[Positions]:
    """Positions (ascending) of each run of equal sorted hashes longer than one."""
    begin = np.flatnonzero(starts)
    length = np.diff(np.append(begin, len(order)))
    return [np.sort(order[begin[run] : begin[run] + length[run]]) for run in np.flatnonzero(length > 1).tolist()]

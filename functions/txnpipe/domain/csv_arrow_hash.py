"""A 64-bit hash of short ASCII identifiers, computed with Arrow kernels (no Python per row).

The ids are right-padded with NUL to a multiple of 8 bytes, and the padded bytes are read as
64-bit words: the data buffer of equal-length strings is exactly ``count * width`` bytes. The
words are folded with a multiply-xor step that skips all-zero words, so the hash does not
depend on how far a batch was padded (an identifier has no NUL byte, and no word of
it is zero). Equal ids always hash equal; unequal ids rarely do, which the caller checks.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

_WORD = 8
_MULTIPLIER = pa.scalar(0x9E3779B97F4A7C15, pa.uint64())  # 2**64 / golden ratio, odd
_FINAL = pa.scalar(0xBF58476D1CE4E5B9, pa.uint64())  # splitmix64's mixing constant
_SHIFT = pa.scalar(31, pa.uint64())
_ZERO = pa.scalar(0, pa.uint64())


def identifier_hashes(ids: pa.Array) -> pa.Array:
    """uint64 hash of each value of a string array of identifiers (no NUL bytes, no nulls)."""
    count = len(ids)
    if count == 0:
        return pa.array([], pa.uint64())
    longest = pc.max(pc.binary_length(ids)).as_py() or 0
    width = max(_WORD, -(-longest // _WORD) * _WORD)
    padded = pc.utf8_rpad(ids, width=width, padding="\0")
    start = memoryview(padded.buffers()[1]).cast("i")[padded.offset]
    if start % _WORD:
        padded = pa.array(padded.to_pylist(), pa.string())  # not seen from rpad; keeps words aligned
        start = 0
    flat = pa.Array.from_buffers(pa.uint64(), count * width // _WORD, [None, padded.buffers()[2]],
                                 offset=start // _WORD)
    words = pa.FixedSizeListArray.from_arrays(flat, width // _WORD)
    folded = pc.list_element(words, 0)
    for position in range(1, width // _WORD):
        word = pc.list_element(words, position)
        step = pc.multiply(pc.bit_wise_xor(folded, word), _MULTIPLIER)
        folded = pc.if_else(pc.equal(word, _ZERO), folded, step)
    mixed = pc.bit_wise_xor(folded, pc.shift_right(folded, _SHIFT))
    return pc.multiply(mixed, _FINAL)


@dataclass(frozen=True, slots=True)
class HashedIds:
    """The well-formed ids of one batch (in order) and their hashes."""

    every: bool  #: every id of the batch is well formed (``ids`` is the batch's column itself)
    ids: pa.Array
    hashes: pa.Array


def hashed_ids(ids: pa.Array, well_formed: pa.Array) -> HashedIds:
    """The ``well_formed`` ids of a batch and their :func:`identifier_hashes` (filtered once)."""
    every = pc.all(well_formed).as_py() is not False
    kept = ids if every else ids.filter(well_formed)
    return HashedIds(every, kept, identifier_hashes(kept))

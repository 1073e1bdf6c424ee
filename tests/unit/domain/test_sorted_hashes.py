"""SortedHashes: what each batch met (earlier batches, repeats within it), against a set-based reference."""

from __future__ import annotations

import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from txnpipe.domain.sorted_hashes import SortedHashes, hash_values

# A narrow range makes repeats within and across batches common; the top values check unsigned order.
_HASHES = st.one_of(st.integers(0, 12), st.integers((1 << 64) - 4, (1 << 64) - 1))


def _reference(batches: list[list[int]]) -> list[tuple[set[int], list[list[int]]]]:
    seen: set[int] = set()
    result = []
    for batch in batches:
        positions: dict[int, list[int]] = {}
        for position, value in enumerate(batch):
            positions.setdefault(value, []).append(position)
        groups = sorted((group for group in positions.values() if len(group) > 1), key=lambda group: batch[group[0]])
        result.append((set(batch) & seen, groups))
        seen |= set(batch)
    return result


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(_HASHES, max_size=10), max_size=6))
def test_each_batch_reports_its_earlier_hashes_and_its_repeats(batches: list[list[int]]) -> None:
    # Given batches of hashes (repeats within a batch and across batches)
    index = SortedHashes()
    # When each batch is added in order
    probes = [index.add(pa.array(batch, pa.uint64())) for batch in batches]
    # Then each reports exactly the hashes added before it, and the positions of each repeated hash
    got = [(probe.earlier, [group.tolist() for group in probe.groups]) for probe in probes]
    assert got == _reference(batches)


@given(st.lists(st.lists(_HASHES, max_size=10), max_size=6))
def test_the_index_holds_each_distinct_hash_once(batches: list[list[int]]) -> None:
    index = SortedHashes()
    for batch in batches:
        index.add(pa.array(batch, pa.uint64()))
    assert len(index) == len({value for batch in batches for value in batch})


def test_a_sliced_array_is_viewed_from_its_offset() -> None:
    # Given a slice of a uint64 array (its data buffer starts before the slice)
    values = pa.array([7, 8, 9, 10], pa.uint64()).slice(1, 2)
    # Then the numpy view holds only the slice's values
    assert hash_values(values).tolist() == [8, 9]


def test_an_empty_batch_meets_nothing() -> None:
    index = SortedHashes()
    index.add(pa.array([3, 4], pa.uint64()))
    probe = index.add(pa.array([], pa.uint64()))
    assert (probe.earlier, probe.groups, len(index)) == (set(), [], 2)

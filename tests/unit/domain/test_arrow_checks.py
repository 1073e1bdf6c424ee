"""The vectorised rules of the Arrow path never clear a value the row-wise rule rejects."""

from __future__ import annotations

import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from txnpipe.domain.amounts import check_amount, to_minor_units
from txnpipe.domain.csv_arrow_amounts import amount_mask, currency_digits, minor_units
from txnpipe.domain.csv_arrow_hash import identifier_hashes
from txnpipe.domain.csv_arrow_ids import DuplicateIndex, identifier_mask
from txnpipe.domain.csv_arrow_timestamps import timestamp_mask
from txnpipe.domain.rules import SUPPORTED_CURRENCIES, check_identifier
from txnpipe.domain.timestamps import UtcTime, parse_timestamp

_DIGIT = st.sampled_from("0123456789")
_PIECES = st.sampled_from(["-", ":", "T", "Z", "+", ".", " ", "t", "z", "0", "1", "2", "9", "é"])


def _numeric(size: int) -> st.SearchStrategy[str]:
    return st.text(_DIGIT, min_size=size, max_size=size)


@st.composite
def stamps(draw: st.DrawFn) -> str:
    """Mostly well-shaped timestamps with random digits (invalid dates and ranges included)."""
    text = (f"{draw(_numeric(4))}-{draw(_numeric(2))}-{draw(_numeric(2))}T{draw(_numeric(2))}:"
            f"{draw(_numeric(2))}:{draw(_numeric(2))}")
    if draw(st.booleans()):
        text += "." + draw(st.text(_DIGIT, min_size=0, max_size=11))
    text += draw(st.sampled_from(["Z", "", "+", "-"]))
    if text[-1] in "+-":
        text += f"{draw(_numeric(2))}{draw(st.sampled_from([':', '']))}{draw(_numeric(2))}"
    if draw(st.integers(0, 9)) == 0:  # now and then a stray character anywhere
        position = draw(st.integers(0, len(text)))
        text = text[:position] + draw(_PIECES) + text[position:]
    return text


@settings(max_examples=300, deadline=None)
@given(st.lists(stamps(), min_size=1, max_size=30))
def test_a_cleared_timestamp_is_valid_with_the_same_utc_second(values: list[str]) -> None:
    # Given timestamps, some valid; When the vectorised rule clears some of them
    ok, utc = timestamp_mask(pa.array(values, pa.string()))
    for value, cleared, instant in zip(values, ok.to_pylist(), utc.cast(pa.int64()).to_pylist(), strict=True):
        if cleared:
            # Then the row-wise rule accepts each cleared one, at the same UTC second
            reference = parse_timestamp(value)
            assert isinstance(reference, UtcTime), value
            assert instant == reference.epoch_seconds, value


def test_plain_timestamps_are_cleared() -> None:
    values = ["2024-01-31T23:30:00+05:30", "2024-02-29T00:00:00Z", "2026-11-25T10:00:00.5-08:00"]
    assert timestamp_mask(pa.array(values))[0].to_pylist() == [True, True, True]


_AMOUNT_CHARS = st.sampled_from("0123456789.,-+e $")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.text(_AMOUNT_CHARS, max_size=16), st.sampled_from([*SUPPORTED_CURRENCIES, "usd"])),
                min_size=1, max_size=30))
def test_a_cleared_amount_is_valid_with_the_same_minor_units(pairs: list[tuple[str, str]]) -> None:
    # Given amount texts and currencies; When the vectorised rule clears some of them
    amounts = pa.array([amount for amount, _ in pairs], pa.string())
    digits = currency_digits(pa.array([currency for _, currency in pairs], pa.string()))
    ok = amount_mask(amounts, digits)
    minor = minor_units(amounts, ok, digits).to_pylist()
    for (amount, currency), cleared, units in zip(pairs, ok.to_pylist(), minor, strict=True):
        if cleared and units > 0:
            # Then the row rule accepts each one, with the same exact minor units
            parts = check_amount(amount)
            assert isinstance(parts, tuple), amount
            assert len(parts[1]) <= SUPPORTED_CURRENCIES[currency], (amount, currency)
            assert units == to_minor_units(*parts, SUPPORTED_CURRENCIES[currency]), (amount, currency)


def test_jpy_has_no_decimals_and_two_digit_currencies_have_two() -> None:
    amounts = pa.array(["100", "100.5", "0.5", "5.50", "5.505"])
    digits = currency_digits(pa.array(["JPY", "JPY", "USD", "EUR", "GBP"]))
    assert amount_mask(amounts, digits).to_pylist() == [True, False, True, True, False]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(st.sampled_from("aA0_- é|"), max_size=66), min_size=1, max_size=30))
def test_identifier_mask_is_the_identifier_rule(values: list[str]) -> None:
    mask = identifier_mask(pa.array(values, pa.string()), required=True).to_pylist()
    expected = [check_identifier({"transaction_id": value}, "transaction_id") is None for value in values]
    assert mask == expected


def _reference_duplicates(batches: list[list[str]]) -> list[list[int]]:
    seen: set[str] = set()
    result = []
    for batch in batches:
        found = []
        for position, value in enumerate(batch):
            if value in seen:
                found.append(position)
            seen.add(value)
        result.append(found)
    return result


_IDS = st.sampled_from(["T1", "t1", "T2", "X" * 64, "X" * 63 + "Y", "a-b", "ab", "abcdefgh", "abcdefgh1"])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(_IDS, max_size=12), max_size=6), st.sampled_from([(1 << 64) - 1, 0b11, 0]))
def test_duplicate_index_finds_exactly_the_repeated_ids(batches: list[list[str]], hash_mask: int) -> None:
    # Given batches of ids (repeats within and across batches, ids differing only in case),
    # and a hash narrowed to 2 bits or none, so that unequal ids collide
    index = DuplicateIndex(hash_mask=hash_mask)
    # When each batch is registered in order
    found = [index.register(pa.array(batch, pa.string()), pa.repeat(pa.scalar(True), len(batch)))
             for batch in batches]
    # Then exactly the later occurrences are reported (a collision is not a duplicate)
    assert found == _reference_duplicates(batches)


def test_an_id_hashes_the_same_in_batches_of_any_width() -> None:
    # Given one id in a batch of short ids and in a batch padded to 64 bytes
    short = identifier_hashes(pa.array(["ab", "c"]))
    wide = identifier_hashes(pa.array(["X" * 64, "ab"]))
    # Then its hash is the same in both
    assert short[0] == wide[1]


def test_a_sliced_array_hashes_like_a_fresh_one() -> None:
    values = pa.array(["zz", "T-1", "abcdefgh1"]).slice(1)
    assert identifier_hashes(values).to_pylist() == identifier_hashes(pa.array(["T-1", "abcdefgh1"])).to_pylist()


def test_ids_differing_in_one_byte_hash_apart() -> None:
    hashes = identifier_hashes(pa.array(["abcdefgh", "abcdefgi", "abcdefgh1", "abcdefgh2", "T1", "t1"]))
    assert len(set(hashes.to_pylist())) == 6


def test_ids_outside_the_mask_are_neither_registered_nor_reported() -> None:
    index = DuplicateIndex()
    first = index.register(pa.array(["A", "B", "A"]), pa.array([True, False, True]))
    second = index.register(pa.array(["B", "A"]), pa.array([True, True]))
    assert (first, second) == ([2], [1])

"""Vectorised (Arrow) versions of the row rules, strict enough that a "clean" row is valid."""

from __future__ import annotations

from decimal import Decimal

import pyarrow as pa
import pyarrow.compute as pc

from txnpipe.domain.rules import SUPPORTED_CURRENCIES
from txnpipe.domain.schema import PROCESSED_SCHEMA

_ID = r"[A-Za-z0-9_-]{1,64}"
_TWO_DIGIT = "|".join(code for code, digits in SUPPORTED_CURRENCIES.items() if digits == 2)
_ZERO_DIGIT = "|".join(code for code, digits in SUPPORTED_CURRENCIES.items() if digits == 0)
#: Calendar-valid month-day pairs except 02-29 (leap years take the row-wise path).
_MONTH_DAY = (
    r"(?:(?:0[1-9]|1[0-2])-(?:0[1-9]|1[0-9]|2[0-8])"
    r"|(?:0[13-9]|1[0-2])-(?:29|30)|(?:0[13578]|1[02])-31)"
)
#: Years 1000-2999 only: rarer years take the row-wise path (range checks after UTC shift).
_TIMESTAMP = (
    r"[12][0-9]{3}-" + _MONTH_DAY + r"T(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\.[0-9]{1,9})?"
    r"(?:Z|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])"
)
#: 1-12 integer digits with a non-zero digit (a regular language: one branch per zero prefix).
_INT_NONZERO = "(?:" + "|".join("0" * k + f"[1-9][0-9]{{0,{11 - k}}}" for k in range(12)) + ")"
#: Positive amount with at most 2 fraction digits.
_AMOUNT_2 = _INT_NONZERO + r"(?:\.[0-9]{1,2})?|0{1,12}\.(?:[1-9][0-9]?|0[1-9])"
#: One anchored pattern over "id|account|amount|currency|type|timestamp|merchant" (no '|' in
#: any valid value, so a value containing '|' simply fails and takes the row-wise path).
_ROW = (
    "^" + _ID + r"\|" + _ID
    + r"\|(?:(?:" + _AMOUNT_2 + r")\|(?:" + _TWO_DIGIT + r")|" + _INT_NONZERO + r"\|(?:" + _ZERO_DIGIT + "))"
    + r"\|(?:DEBIT|CREDIT|TRANSFER)\|" + _TIMESTAMP + r"\|[A-Za-z0-9_-]{0,64}$"
)
_PLACEHOLDER = "2000-01-01T00:00:00Z"
_UTC_S = pa.timestamp("s", tz="UTC")


def _column(batch: pa.RecordBatch, name: str) -> pa.Array:
    if name in batch.schema.names:
        return batch.column(name)
    return pa.repeat(pa.scalar("", pa.string()), batch.num_rows)


def _calendar_ok(stamps: pa.Array) -> pa.Array:
    """True where the date part is a real calendar date (Arrow's strptime rolls over)."""
    local = pc.strptime(pc.utf8_slice_codeunits(stamps, 0, 19), "%Y-%m-%dT%H:%M:%S", "s",
                        error_is_null=True)
    day = pc.cast(pc.utf8_slice_codeunits(stamps, 8, 10), pa.int64())
    return pc.fill_null(pc.equal(pc.day(local), day), False)


def _to_utc(stamps: pa.Array, clean: pa.Array) -> tuple[pa.Array, pa.Array]:
    """UTC instants (whole seconds) of clean rows; narrows ``clean`` by a calendar check."""
    safe = pc.if_else(clean, stamps, _PLACEHOLDER)
    try:
        return clean, pc.cast(safe, _UTC_S)
    except pa.ArrowInvalid:
        pass  # fractional seconds (or, defensively, a date the pattern should have refused)
    stamps = pc.replace_substring_regex(stamps, r"\.[0-9]+", "")
    safe = pc.if_else(clean, stamps, _PLACEHOLDER)
    try:
        return clean, pc.cast(safe, _UTC_S)
    except pa.ArrowInvalid:
        clean = pc.and_(clean, _calendar_ok(safe))
        return clean, pc.cast(pc.if_else(clean, stamps, _PLACEHOLDER), _UTC_S)


def clean_mask(batch: pa.RecordBatch) -> tuple[pa.Array, pa.Array]:
    """(rows that certainly pass every row rule, their UTC timestamps; placeholder elsewhere)."""
    names = ("transaction_id", "account_id", "amount", "currency", "transaction_type",
             "timestamp", "merchant_id")  # fmt: skip
    joined = pc.binary_join_element_wise(*(_column(batch, name) for name in names), "|")
    mask = pc.match_substring_regex(joined, _ROW)
    if "description" in batch.schema.names:
        mask = pc.and_(mask, pc.less_equal(pc.utf8_length(batch.column("description")), 256))
    return _to_utc(batch.column("timestamp"), mask)


def _minor_units(amount: pa.Array, currency: pa.Array) -> pa.Array:
    hundredths = pc.cast(
        pc.multiply(pc.cast(amount, pa.decimal128(16, 2)), pa.scalar(Decimal(100))), pa.int64()
    )
    zero_digit = pc.equal(currency, "JPY")
    if not pc.any(zero_digit).as_py():
        return hundredths
    return pc.if_else(zero_digit, pc.divide(hundredths, 100), hundredths)


def _optional(batch: pa.RecordBatch, name: str) -> pa.Array:
    if name not in batch.schema.names:
        return pa.nulls(batch.num_rows, pa.string())
    values = batch.column(name)
    return pc.if_else(pc.equal(values, ""), pa.scalar(None, pa.string()), values)


def derive_columns(
    good: pa.RecordBatch, utc: pa.Array, source_rows: pa.Array, file_id: str, ingested_at: str
) -> pa.Table:
    """Build the PROCESSED_SCHEMA table for clean rows (derived fields computed vectorised)."""
    col = good.column
    minor = _minor_units(col("amount"), col("currency"))
    signed = pc.if_else(pc.equal(col("transaction_type"), "DEBIT"), pc.negate(minor), minor)
    count = good.num_rows
    arrays = [
        col("transaction_id"), col("account_id"), col("amount"), col("currency"),
        col("transaction_type"), col("timestamp"),
        _optional(good, "merchant_id"), _optional(good, "description"),
        minor, signed, pc.cast(utc, pa.timestamp("us", tz="UTC")),
        pa.repeat(pa.scalar(file_id), count), source_rows, pa.repeat(pa.scalar(ingested_at), count),
    ]  # fmt: skip
    return pa.Table.from_arrays(arrays, schema=PROCESSED_SCHEMA)

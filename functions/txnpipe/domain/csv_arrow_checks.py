"""Vectorised (Arrow) versions of the row rules, strict enough that a "clean" row is valid.

Each rule is checked per column with cheap kernels (no regular expression per row in the
common case); a row that is not certainly valid is left to the row-wise reference.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

from txnpipe.domain.csv_arrow_amounts import amount_mask, currency_digits, minor_units
from txnpipe.domain.csv_arrow_hash import HashedIds, hashed_ids
from txnpipe.domain.csv_arrow_ids import identifier_mask
from txnpipe.domain.csv_arrow_timestamps import timestamp_mask
from txnpipe.domain.rules import MAX_DESCRIPTION_LENGTH, TRANSACTION_TYPES
from txnpipe.domain.schema import PROCESSED_SCHEMA

_TYPES = pa.array(TRANSACTION_TYPES, pa.string())
_DEBIT = TRANSACTION_TYPES.index("DEBIT")


@dataclass(frozen=True, slots=True)
class CheckedBatch:
    """Masks and derived values of one batch (derived values are placeholders where not clean)."""

    clean: pa.Array  #: rows that certainly pass every row rule
    id_ok: pa.Array  #: rows whose transaction_id is well formed (the duplicate rule's scope)
    utc: pa.Array  #: timestamp[s, UTC]
    minor: pa.Array  #: int64 amount_minor
    debit: pa.Array  #: transaction_type == DEBIT
    ids: HashedIds  #: the well-formed transaction ids and their hashes, in order


def _column(batch: pa.RecordBatch, name: str) -> pa.Array:
    if name in batch.schema.names:
        return batch.column(name)
    return pa.repeat(pa.scalar("", pa.string()), batch.num_rows)


def _description_ok(batch: pa.RecordBatch) -> pa.Array | None:
    if "description" not in batch.schema.names:
        return None
    text = batch.column("description")
    short = pc.less_equal(pc.binary_length(text), MAX_DESCRIPTION_LENGTH)  # bytes >= code points
    if pc.all(short).as_py():
        return None
    return pc.less_equal(pc.utf8_length(text), MAX_DESCRIPTION_LENGTH)


def check_batch(batch: pa.RecordBatch) -> CheckedBatch:
    """Apply every row rule vectorised; see :class:`CheckedBatch`."""
    col = batch.column
    id_ok = identifier_mask(col("transaction_id"), required=True)
    digits = currency_digits(col("currency"))
    amount_ok = amount_mask(col("amount"), digits)
    kind = pc.index_in(col("transaction_type"), value_set=_TYPES)
    stamp_ok, utc = timestamp_mask(col("timestamp"))
    minor = minor_units(col("amount"), amount_ok, digits)
    masks = [
        id_ok, identifier_mask(col("account_id"), required=True), amount_ok, pc.greater(minor, 0),
        pc.is_valid(kind), stamp_ok, identifier_mask(_column(batch, "merchant_id"), required=False),
    ]  # fmt: skip
    description_ok = _description_ok(batch)
    if description_ok is not None:
        masks.append(description_ok)
    clean = masks[0]
    for mask in masks[1:]:
        clean = pc.and_(clean, mask)
    hashed = hashed_ids(col("transaction_id"), id_ok)
    return CheckedBatch(clean, id_ok, utc, minor, pc.fill_null(pc.equal(kind, _DEBIT), False), hashed)


def _optional(batch: pa.RecordBatch, name: str) -> pa.Array:
    if name not in batch.schema.names:
        return pa.nulls(batch.num_rows, pa.string())
    values = batch.column(name)
    return pc.if_else(pc.equal(values, ""), pa.scalar(None, pa.string()), values)


def output_columns(batch: pa.RecordBatch, checked: CheckedBatch, source_rows: pa.Array) -> pa.Table:
    """PROCESSED_SCHEMA columns except the constant file_id/ingested_at, for every row."""
    col = batch.column
    signed = pc.if_else(checked.debit, pc.negate(checked.minor), checked.minor)
    arrays = [
        col("transaction_id"), col("account_id"), col("amount"), col("currency"),
        col("transaction_type"), col("timestamp"),
        _optional(batch, "merchant_id"), _optional(batch, "description"),
        checked.minor, signed, pc.cast(checked.utc, pa.timestamp("us", tz="UTC")), source_rows,
    ]  # fmt: skip
    return pa.Table.from_arrays(arrays, names=[*PROCESSED_SCHEMA.names[:11], "source_row"])


def with_constants(table: pa.Table, file_id: str, ingested_at: str) -> pa.Table:
    """Add the constant columns and order the columns as PROCESSED_SCHEMA."""
    count = table.num_rows
    arrays = [*table.columns[:11], pa.repeat(pa.scalar(file_id), count), table.column("source_row"),
              pa.repeat(pa.scalar(ingested_at), count)]
    return pa.Table.from_arrays(arrays, schema=PROCESSED_SCHEMA)

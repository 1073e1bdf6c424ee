"""Fixed Arrow/Parquet schema of the processed output (see docs/data-contract.md)."""

from __future__ import annotations

from collections.abc import Sequence

import pyarrow as pa

from txnpipe.domain.rules import Transaction

#: Columns stored in each Parquet file. ``transaction_date`` and ``partner_id`` are Hive
#: partition keys (directory names) and therefore not repeated inside the files.
PROCESSED_SCHEMA = pa.schema(
    [
        pa.field("transaction_id", pa.string(), nullable=False),
        pa.field("account_id", pa.string(), nullable=False),
        pa.field("amount", pa.string(), nullable=False),
        pa.field("currency", pa.string(), nullable=False),
        pa.field("transaction_type", pa.string(), nullable=False),
        pa.field("timestamp", pa.string(), nullable=False),
        pa.field("merchant_id", pa.string()),
        pa.field("description", pa.string()),
        pa.field("amount_minor", pa.int64(), nullable=False),
        pa.field("signed_amount_minor", pa.int64(), nullable=False),
        pa.field("timestamp_utc", pa.timestamp("us", tz="UTC"), nullable=False),
        pa.field("file_id", pa.string(), nullable=False),
        pa.field("source_row", pa.int64(), nullable=False),
        pa.field("ingested_at", pa.string(), nullable=False),
    ]
)


def transactions_table(
    rows: Sequence[tuple[int, Transaction]], file_id: str, ingested_at: str
) -> pa.Table:
    """Arrow table (PROCESSED_SCHEMA) for (source_row, Transaction) pairs from the row-wise path."""
    columns: dict[str, list[object]] = {name: [] for name in PROCESSED_SCHEMA.names}
    for source_row, txn in rows:
        for name in PROCESSED_SCHEMA.names[:10]:
            columns[name].append(getattr(txn, name))
        columns["timestamp_utc"].append(txn.epoch_seconds * 1_000_000)
        columns["source_row"].append(source_row)
    columns["file_id"] = [file_id] * len(rows)
    columns["ingested_at"] = [ingested_at] * len(rows)
    arrays = [pa.array(columns[f.name], type=pa.int64() if f.name == "timestamp_utc" else f.type)
              for f in PROCESSED_SCHEMA]
    arrays[10] = arrays[10].cast(pa.timestamp("us", tz="UTC"))
    return pa.Table.from_arrays(arrays, schema=PROCESSED_SCHEMA)

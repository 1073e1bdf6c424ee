"""The written Parquet: schema, Hive partitions by UTC date, values; and the quarantine file."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from txnpipe.domain.files import process_file
from txnpipe.domain.schema import PROCESSED_SCHEMA

from .helpers import HEADER, INGESTED, csv_line, quarantine, run


@pytest.mark.parametrize("engine", ["arrow", "python"])
def test_parquet_is_partitioned_by_utc_date_with_exact_values(tmp_path: Path, engine: str) -> None:
    data = "\n".join([
        HEADER,
        csv_line("T1", timestamp="2024-01-01T01:00:00+05:30"),  # 2023-12-31 in UTC
        csv_line("T2", amount="1000", currency="JPY", transaction_type="CREDIT",
                 timestamp="2024-01-01T10:00:00Z", merchant_id="", description=""),
        csv_line("T3", amount="oops"),
    ]).encode() + b"\n"
    result = run(data, tmp_path, engine=engine)
    assert [str(p) for p in result.processed_files] == [
        "processed/transaction_date=2023-12-31/partner_id=p1/f1.parquet",
        "processed/transaction_date=2024-01-01/partner_id=p1/f1.parquet",
    ]
    assert (result.min_transaction_date, result.max_transaction_date) == ("2023-12-31", "2024-01-01")
    first = pq.ParquetFile(tmp_path / "out" / result.processed_files[0]).read()
    assert first.schema.equals(PROCESSED_SCHEMA)
    meta = pq.ParquetFile(tmp_path / "out" / result.processed_files[0]).metadata
    assert meta.row_group(0).column(0).compression == "SNAPPY"
    dataset = ds.dataset(tmp_path / "out" / "processed", format="parquet", partitioning="hive")
    rows = {row["transaction_id"]: row for row in dataset.to_table().to_pylist()}
    assert set(rows) == {"T1", "T2"}
    t1, t2 = rows["T1"], rows["T2"]
    assert (t1["amount"], t1["amount_minor"], t1["signed_amount_minor"]) == ("10.50", 1050, -1050)
    assert t1["timestamp_utc"] == datetime(2023, 12, 31, 19, 30, tzinfo=UTC)
    assert (t1["partner_id"], t1["file_id"], t1["source_row"], t1["ingested_at"]) == ("p1", "f1", 1, INGESTED)
    assert (t2["amount_minor"], t2["signed_amount_minor"], t2["merchant_id"], t2["description"]) == (
        1000, 1000, None, None)
    assert t2["source_row"] == 2
    assert dataset.schema.field("amount_minor").type == pa.int64()


def test_quarantine_lines_hold_row_reason_and_raw(tmp_path: Path) -> None:
    data = f"{HEADER}\n{csv_line('T1', amount='1,000.00')}\n".encode()
    data = data.replace(b"1,000.00", b'"1,000.00"')
    result = run(data, tmp_path)
    [line] = quarantine(tmp_path, result)
    assert line["row"] == 1 and line["reason"] == "amount: thousands separators not allowed"
    assert line["raw"]["amount"] == "1,000.00" and line["raw"]["transaction_id"] == "T1"
    assert str(result.quarantine_file) == "quarantine/f1.jsonl"


def test_unsafe_partner_id_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="partner_id"):
        process_file(io.BytesIO(b"x"), fmt="csv", partner_id="../x", file_id="f", ingested_at=INGESTED,
                     out_dir=tmp_path)

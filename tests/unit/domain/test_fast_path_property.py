"""Property: the Arrow fast path and the row-wise reference agree on every generated file."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from tempfile import TemporaryDirectory

import pyarrow.dataset as ds
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .helpers import HEADER, run

GOOD_VALUES = {
    # ids differing only in case, and long ids sharing a 63-character prefix, are distinct ids
    "transaction_id": ["T1", "t1", "T2", "T3", "a_b-9", "X" * 64, "X" * 63 + "Y"],
    "account_id": ["A1", "acc-2", "Z" * 64],
    "amount": ["10.50", "1", "0.01", "123456789012.99", "100", "5.5", "007.10", "000000000000.01"],
    "currency": ["USD", "EUR", "JPY", "GBP"],
    "transaction_type": ["DEBIT", "CREDIT", "TRANSFER"],
    "timestamp": ["2024-01-31T23:30:00+05:30", "2024-02-29T00:00:00Z", "2023-12-31T23:59:59-08:00",
                  "2024-06-30T12:00:00.123Z", "0999-01-01T00:00:00Z", "9999-12-31T23:00:00-05:00",
                  "2000-02-29T12:00:00+23:59", "2024-03-01T00:30:00+01:00", "2024-01-01T00:00:00-00:00",
                  "2024-01-01T10:00:00.123456789-03:30", "1969-12-31T23:59:59.999Z",
                  "0001-01-01T00:00:00Z", "0001-01-01T12:00:00+11:00"],
    "merchant_id": ["", "M1", "m_2", "M-1_x"],
    "description": ["", "coffee", "a, b", 'say "hi"', "two\nlines", "crlf\r\nline", "é" * 256],
}
BAD_VALUES = {
    "transaction_id": ["", "T 1", "T|1", "X" * 65, "T\n1", "T1 ", "tä"],
    "account_id": ["", "a b", "ä"],
    "amount": ["", "-1", "1e3", "0", "0.00", "1,000", "$5", "10.123", "1234567890123", " 1", "1|2",
               "1.", ".5", "1..2", "1.2.3", "0000000000000.01", "100.0", "+1"],
    "currency": ["usd", "XXX", "", "US"],
    "transaction_type": ["debit", "", "REFUND"],
    "timestamp": ["2024-02-30T00:00:00Z", "2023-02-29T00:00:00Z", "1900-02-29T00:00:00Z", "2024-01-01T10:00:00",
                  "2024-01-01T10:00Z", "2024-04-31T00:00:00Z", "2024-01-01T23:59:60Z", "0001-01-01T00:00:00+01:00",
                  "x", "2024-01-01 10:00:00Z", "2024-01-01T10:00:00+0530", "2024-01-01T10:00:00+05",
                  "2024-01-01T24:00:00Z", "2024-01-01T10:00:00+24:00", "2024-01-01T10:00:00+05:60",
                  "0000-01-01T00:00:00Z", "0000-12-31T23:00:00-05:00", "9999-12-31T23:59:59-00:01",
                  "2024-01-01T10:00:00.Z", "2024-01-01T10:00:00.1234567890Z", "2024-01-01T10:00:00z",
                  "2024-01-01t10:00:00Z", "2024-01-01T10:00:00Z.5", "2024-13-01T00:00:00Z", "\uff12024-01-01T10:00:00Z"],
    "merchant_id": ["m 1", "M" * 65],
    "description": ["é" * 257, "x" * 257],
}
NAMES = HEADER.split(",")


@st.composite
def rows(draw: st.DrawFn) -> list[str] | None:
    """A data row (field list), or None for a blank line; sometimes a wrong field count."""
    kind = draw(st.sampled_from(["good", "good", "good", "bad", "short", "long", "blank"]))
    if kind == "blank":
        return None
    fields = [draw(st.sampled_from(GOOD_VALUES[name])) for name in NAMES]
    if kind == "bad":
        index = draw(st.integers(0, len(NAMES) - 1))
        fields[index] = draw(st.sampled_from(BAD_VALUES[NAMES[index]]))
    elif kind == "short":
        fields = fields[: draw(st.integers(1, len(NAMES) - 1))]
    elif kind == "long":
        fields = [*fields, "extra"]
    return fields


def render(table: list[list[str] | None], crlf: bool, bom: bool) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n" if crlf else "\n")
    writer.writerow(NAMES)
    for fields in table:
        if fields is None:
            out.write("\r\n" if crlf else "\n")
        else:
            writer.writerow(fields)
    return (b"\xef\xbb\xbf" if bom else b"") + out.getvalue().encode("utf-8")


def outputs(tmp: Path) -> list[dict[str, object]]:
    processed = tmp / "out" / "processed"
    if not processed.exists():
        return []
    table = ds.dataset(processed, format="parquet", partitioning="hive").to_table()
    return sorted(table.to_pylist(), key=lambda row: int(str(row["source_row"])))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(rows(), max_size=40), st.booleans(), st.booleans(), st.sampled_from([1024, 2048, 1 << 20]))
def test_fast_path_agrees_with_reference(
    table: list[list[str] | None], crlf: bool, bom: bool, block_size: int
) -> None:
    data = render(table, crlf, bom)
    with TemporaryDirectory() as fast_dir, TemporaryDirectory() as slow_dir:
        fast = run(data, Path(fast_dir), block_size=block_size)
        slow = run(data, Path(slow_dir), engine="python")
        assert (fast.status, fast.rows_total, fast.rows_valid, fast.rows_rejected) == (
            slow.status, slow.rows_total, slow.rows_valid, slow.rows_rejected)
        assert fast.errors == slow.errors
        assert fast.processed_files == slow.processed_files
        assert outputs(Path(fast_dir)) == outputs(Path(slow_dir))
        assert fast.rows_total == sum(1 for row in table if row is not None)

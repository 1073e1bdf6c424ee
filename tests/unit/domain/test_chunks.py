"""Scale-out: byte-range chunks at record boundaries give the same rows as the whole file."""

from __future__ import annotations

import io
from pathlib import Path

import pyarrow.dataset as ds

from txnpipe.domain.chunks import cross_chunk_duplicates, plan_chunks

from .helpers import HEADER, csv_line, reasons, run


def sample() -> bytes:
    lines = [HEADER]
    for i in range(1, 301):
        if i % 10 == 0:
            lines.append(csv_line(f"T{i}").rsplit(",", 1)[0] + ',"multi\r\nline ""quoted"", text"')
        elif i % 7 == 0:
            lines.append(csv_line(f"T{i}", amount="-1"))
        elif i % 23 == 0:
            lines.append(csv_line(f"T{i}").rsplit(",", 2)[0])
        else:
            lines.append(csv_line(f"T{i}"))
        if i % 50 == 0:
            lines.append("")
    return b"\xef\xbb\xbf" + "\r\n".join(lines).encode() + b"\r\n"


def test_chunks_cover_the_file_and_never_split_a_quoted_field(tmp_path: Path) -> None:
    data = sample()
    plan = plan_chunks(io.BytesIO(data), chunk_bytes=2000)
    assert plan.header == HEADER.encode() and plan.rows == 300 and len(plan.chunks) > 5
    assert plan.chunks[-1].end == len(data)
    for before, after in zip(plan.chunks, plan.chunks[1:], strict=False):
        assert before.end == after.start and data[after.start - 1 : after.start] == b"\n"
    whole = run(data, tmp_path / "whole")
    rows, errors, valid = 0, [], []
    for index, chunk in enumerate(plan.chunks):
        part = run(data[chunk.start : chunk.end], tmp_path / f"c{index}", csv_header=plan.header,
                   first_row=chunk.first_row)
        rows += part.rows_total
        errors += reasons(part)
        if part.processed_files:
            table = ds.dataset(tmp_path / f"c{index}" / "out" / "processed", partitioning="hive").to_table()
            valid += table.column("source_row").to_pylist()
    assert rows == whole.rows_total == 300
    assert sorted(errors) == reasons(whole)
    assert sorted(valid) == sorted(
        ds.dataset(tmp_path / "whole" / "out" / "processed", partitioning="hive")
        .to_table().column("source_row").to_pylist()
    )


def test_unterminated_quote_gives_one_chunk() -> None:
    data = f'{HEADER}\n{csv_line("T1")}\n"never closed,\n{csv_line("T2")}\n'.encode()
    plan = plan_chunks(io.BytesIO(data), chunk_bytes=10)
    assert len(plan.chunks) == 1 and plan.chunks[0].end == len(data)


def test_empty_stream_has_no_chunks() -> None:
    assert plan_chunks(io.BytesIO(b"\n\n"), 100).chunks == []


def test_cross_chunk_duplicates_keep_the_earliest_row() -> None:
    rows = [(5, "A"), (2, "B"), (9, "A"), (1, "A"), (3, "C"), (7, "B")]
    assert cross_chunk_duplicates(rows) == [5, 7, 9]

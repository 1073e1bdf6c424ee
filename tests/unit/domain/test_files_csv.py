"""CSV file rules, run against both the Arrow fast path and the row-wise reference reader."""

from __future__ import annotations

from pathlib import Path

import pytest

from .helpers import HEADER, csv_line, quarantine, reasons, run

ENGINES = ["arrow", "python"]


def body(*lines: str, newline: str = "\n") -> bytes:
    return (newline.join(lines) + newline).encode("utf-8")


@pytest.fixture(params=ENGINES)
def engine(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def test_given_good_rows_when_processed_then_valid(tmp_path: Path, engine: str) -> None:
    result = run(body(HEADER, csv_line("T1"), csv_line("T2")), tmp_path, engine=engine)
    assert (result.status, result.rows_total, result.rows_valid, result.rows_rejected) == ("VALID", 2, 2, 0)
    assert result.quarantine_file is None and result.reject_reason is None


def test_bom_is_dropped_and_crlf_accepted(tmp_path: Path, engine: str) -> None:
    data = b"\xef\xbb\xbf" + body(HEADER, csv_line("T1"), newline="\r\n")
    result = run(data, tmp_path, engine=engine)
    assert (result.status, result.rows_valid) == ("VALID", 1)


def test_quoted_fields_with_commas_quotes_and_newlines(tmp_path: Path, engine: str) -> None:
    line = csv_line("T1").rsplit(",", 1)[0] + ',"Line one,\r\nsaid ""hi"""'
    result = run(body(HEADER, line, csv_line("T2"), csv_line("T3", amount="-1")), tmp_path, engine=engine)
    assert (result.rows_valid, reasons(result)) == (2, [(3, "amount: sign not allowed")])


def test_blank_lines_are_skipped_and_not_counted(tmp_path: Path, engine: str) -> None:
    data = body("", HEADER, "", csv_line("T1"), "", "", csv_line("T2", amount="x"), "")
    result = run(data, tmp_path, engine=engine)
    assert result.rows_total == 2
    assert reasons(result) == [(2, "amount: not a plain decimal number")]


def test_wrong_field_count_rejects_only_that_row(tmp_path: Path, engine: str) -> None:
    short = csv_line("T2").rsplit(",", 1)[0]
    data = body(HEADER, csv_line("T1"), short, csv_line("T3") + ",extra", csv_line("T4"))
    result = run(data, tmp_path, engine=engine)
    assert reasons(result) == [
        (2, "row: wrong field count (expected 8, got 7)"),
        (3, "row: wrong field count (expected 8, got 9)"),
    ]
    assert (result.status, result.rows_valid, result.rows_total) == ("INVALID_ROWS", 2, 4)
    raw = {line["row"]: line["raw"] for line in quarantine(tmp_path, result)}
    assert raw[2] == short.split(",")


def test_duplicate_transaction_id_rejects_later_rows(tmp_path: Path, engine: str) -> None:
    data = body(HEADER, csv_line("T1"), csv_line("T2"), csv_line("T1", amount="1.00"),
                csv_line("T1", amount="-3"))
    result = run(data, tmp_path, engine=engine)
    assert reasons(result) == [
        (3, "transaction_id: duplicate transaction_id"),
        (4, "transaction_id: duplicate transaction_id"),
    ]


def test_first_row_with_bad_amount_still_claims_its_id(tmp_path: Path, engine: str) -> None:
    data = body(HEADER, csv_line("T1", amount="-1"), csv_line("T1"))
    result = run(data, tmp_path, engine=engine)
    assert reasons(result) == [(1, "amount: sign not allowed"), (2, "transaction_id: duplicate transaction_id")]


def test_header_is_case_sensitive_and_missing_column_rejects_file(tmp_path: Path, engine: str) -> None:
    result = run(body(HEADER.replace("amount", "Amount"), csv_line("T1")), tmp_path, engine=engine)
    assert (result.status, result.reject_reason) == ("REJECTED", "missing required column(s): amount")
    assert not (tmp_path / "out" / "processed").exists()


def test_column_order_is_free_extra_columns_ignored_optional_columns_may_be_absent(
    tmp_path: Path, engine: str
) -> None:
    header = "note,timestamp,transaction_type,currency,amount,account_id,transaction_id"
    data = body(header, 'x,2024-01-01T00:00:00Z,CREDIT,JPY,500,A1,T1', 'y,2024-01-01T00:00:00Z,CREDIT,JPY,5.5,A1,T2')
    result = run(data, tmp_path, engine=engine)
    assert reasons(result) == [(2, "amount: more than 0 decimal places for JPY")]
    assert quarantine(tmp_path, result)[0]["raw"]["note"] == "y"


def test_duplicate_header_column_rejects_file(tmp_path: Path, engine: str) -> None:
    result = run(body(HEADER + ",amount", csv_line("T1") + ",1"), tmp_path, engine=engine)
    assert result.reject_reason == "duplicate column in header: amount"


@pytest.mark.parametrize("data", [b"", b"\xef\xbb\xbf", b"\r\n\n"])
def test_empty_file_is_rejected(tmp_path: Path, engine: str, data: bytes) -> None:
    result = run(data, tmp_path, engine=engine)
    assert (result.status, result.reject_reason, result.rows_total) == ("REJECTED", "empty file", 0)


def test_header_only_file_is_valid_with_zero_rows(tmp_path: Path, engine: str) -> None:
    result = run(body(HEADER), tmp_path, engine=engine)
    assert (result.status, result.rows_total, result.processed_files) == ("VALID", 0, [])


@pytest.mark.parametrize("where", ["header", "row"])
def test_non_utf8_rejects_file_and_writes_nothing(tmp_path: Path, engine: str, where: str) -> None:
    lines = [HEADER.encode(), csv_line("T1").encode(), csv_line("T2").encode().replace(b"Coffee", b"Caf\xe9")]
    if where == "header":
        lines[0] = lines[0].replace(b"description", b"descripci\xf3n")
    result = run(b"\n".join(lines) + b"\n", tmp_path, engine=engine, block_size=64)
    assert result.status == "REJECTED" and result.reject_reason is not None
    assert result.reject_reason.startswith("not UTF-8 encoded")
    assert not list((tmp_path / "out").rglob("*.parquet")) and not list((tmp_path / "out").rglob("*.jsonl"))


@pytest.mark.filterwarnings("error::pytest.PytestUnraisableExceptionWarning")
def test_non_utf8_inside_a_short_row_still_says_not_utf8(tmp_path: Path, engine: str) -> None:
    # Given a row that is both too short and not UTF-8 (Arrow cannot decode it for the handler)
    data = HEADER.encode() + b"\n" + b"T1,A1,1.00,EUR,DEBIT,caf\xe9\n"
    # When it is processed, Then the file is rejected for its encoding, not as "unparseable"
    result = run(data, tmp_path, engine=engine)
    assert result.status == "REJECTED" and (result.reject_reason or "").startswith("not UTF-8 encoded")


@pytest.mark.filterwarnings("error::pytest.PytestUnraisableExceptionWarning")
def test_arrow_names_the_byte_offset_of_invalid_utf8_in_a_short_row(tmp_path: Path) -> None:
    # Given invalid UTF-8 at a known byte offset, inside a row with too few fields
    head = HEADER.encode() + b"\n" + b"T1,A1,1.00,EUR,DEBIT,caf"
    # When the Arrow path reads it, Then the reason names that offset (checked before Arrow parses)
    result = run(head + b"\xe9\n", tmp_path, engine="arrow")
    assert result.reject_reason == f"not UTF-8 encoded (byte offset {len(head)})"


@pytest.mark.parametrize("block_size", [61, 62, 63, 64])
def test_multibyte_characters_across_read_boundaries_are_valid(tmp_path: Path, block_size: int) -> None:
    # Given descriptions of 2- to 4-byte characters, read in blocks that split some of them
    lines = [csv_line(f"T{i}", description="é€😀" * (i % 5 + 1)) for i in range(40)]
    # When processed with the Arrow path, Then the file is valid
    result = run(body(HEADER, *lines), tmp_path, engine="arrow", block_size=block_size)
    assert (result.status, result.rows_valid) == ("VALID", 40)


def test_a_file_ending_inside_a_multibyte_character_is_not_utf8(tmp_path: Path, engine: str) -> None:
    data = body(HEADER, csv_line("T1")) + csv_line("T2").encode() + b"\xe2\x82"
    result = run(data, tmp_path, engine=engine)
    assert (result.status, (result.reject_reason or "")[:17]) == ("REJECTED", "not UTF-8 encoded")


def test_errors_are_capped_but_counts_exact(tmp_path: Path, engine: str) -> None:
    lines = [csv_line(f"T{i}", amount="-1") for i in range(30)]
    result = run(body(HEADER, *lines, csv_line("OK")), tmp_path, engine=engine, max_errors_in_result=5)
    assert (len(result.errors), result.rows_rejected, result.rows_valid) == (5, 30, 1)
    assert len(quarantine(tmp_path, result)) == 30
    assert result.rows_total == result.rows_valid + result.rows_rejected


def test_small_blocks_keep_row_numbers_right(tmp_path: Path) -> None:
    lines = []
    for i in range(1, 200):
        if i % 17 == 0:
            lines.append(csv_line(f"T{i}").rsplit(",", 1)[0])
        elif i % 13 == 0:
            lines.append(csv_line(f"T{i}").rsplit(",", 1)[0] + ',"a\nb"')
        elif i % 11 == 0:
            lines.append(csv_line(f"T{i}", currency="usd"))
        else:
            lines.append(csv_line(f"T{i}"))
    data = body(HEADER, *lines)
    fast = run(data, tmp_path / "a", block_size=256)
    slow = run(data, tmp_path / "b", engine="python")
    assert reasons(fast) == reasons(slow) and fast.rows_total == 199
    assert {r for r, _ in reasons(fast)} == {i for i in range(1, 200) if i % 17 == 0 or (i % 11 == 0 and i % 13)}


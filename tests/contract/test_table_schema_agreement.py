"""frictionless (PyPI) with the generated Table Schema judges every CSV row of the corpus as we do.

Except, and only, where `contract.limits` says the Table Schema cannot express the rule or frictionless
behaves differently: those rows must then get exactly the listed verdict.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from bench.gen_data import generate
from contract.limits import DIFFERENCES, LIMITS, TABLE_SCHEMA
from tests.contract.corpus import CASES, Case
from tests.contract.verdicts import TAG_DIFFERENCES, csv_bytes, expected_theirs, frictionless_report, ours
from txnpipe.domain.rules import FIELDS

# Rules over a whole file, or across files (first_value_wins: tests/handlers/test_load_transactions.py and
# tests/e2e/test_replays.py), which no row of the corpus can exercise.
NOT_ROW_LEVEL = {"file_level", "first_reason", "first_value_wins"}

Row = tuple[dict[str, object] | list[str], frozenset[str], bool]  # (row, tags, valid per the contract)


def corpus_rows(*, short_row: bool = True) -> list[Row]:
    """Every case once, then a duplicate id and (`short_row`) an id reused after a row with too few fields."""
    rows: list[Row] = [(case.record(f"C{i:04d}"), case.tags, case.valid) for i, case in enumerate(CASES)]
    first = Case("dup", True, {}).record("DUP-1")
    rows += [(first, frozenset(), True), (dict(first), frozenset(), False)]
    if short_row:
        short = ["SHORT-1", *(str(first[f]) for f in FIELDS[1:-1])]
        rows += [(short, frozenset(), False),
                 ({**first, "transaction_id": "SHORT-1"}, frozenset({"after_short_row"}), True)]
    return rows


def compare(data: bytes, rows: list[Row], tmp_path: Path) -> None:
    """Assert ours == the contract, and frictionless == ours except for the listed limits/differences."""
    status, our_rows = ours(data, "csv", tmp_path)
    labels, their_rows = frictionless_report(data, tmp_path)
    assert (status != "REJECTED", labels) == (True, []), "the corpus file must be processed"
    assert our_rows == [valid for _, _, valid in rows]
    expected = [expected_theirs(ok, tags, fmt_name=TABLE_SCHEMA, validator="frictionless")
                for ok, (_, tags, _) in zip(our_rows, rows, strict=True)]
    mismatches = [(i + 1, row) for i, (row, want, got) in enumerate(zip(rows, expected, their_rows, strict=True))
                  if want != got]
    assert mismatches == []


def test_every_rule_case_gets_our_verdict_from_frictionless(tmp_path: Path) -> None:
    # Given the corpus as a plain LF CSV, When both judge it, Then verdicts agree row by row
    rows = corpus_rows()
    compare(csv_bytes([row for row, _, _ in rows]), rows, tmp_path)


def test_bom_crlf_blank_lines_column_order_and_extra_columns_change_no_verdict(tmp_path: Path) -> None:
    # Given the corpus with a BOM, CRLF, a blank line every 7 rows, shuffled columns and an unknown column
    rows = [({**row, "note": "x"} if isinstance(row, dict) else row, tags, valid)
            for row, tags, valid in corpus_rows(short_row=False)]
    columns = [*FIELDS, "note"]
    random.Random(7).shuffle(columns)
    data = csv_bytes([row for row, _, _ in rows], columns=columns, bom=True, newline="\r\n", blank_every=7)
    # Then the verdicts still agree
    compare(data, rows, tmp_path)


@pytest.mark.slow
def test_the_benchmark_generator_file_gets_the_same_verdicts(tmp_path: Path) -> None:
    # Given bench/gen_data.py's CSV with 20 % bad rows of every kind it makes
    path = tmp_path / "gen.csv"
    generate(path, 400_000, bad_ratio=0.2, seed=13)
    data = path.read_bytes()
    status, our_rows = ours(data, "csv", tmp_path)
    # When frictionless judges it
    labels, their_rows = frictionless_report(data, tmp_path)
    # Then it agrees except on calendar dates (the generator's 2026-02-30), which a Table Schema cannot see
    assert (status, labels) == ("INVALID_ROWS", [])
    lines = data.decode().splitlines()[1:]
    calendar = ["-02-30T" in line for line in lines]
    assert their_rows == [ok or cal for ok, cal in zip(our_rows, calendar, strict=True)]
    assert any(calendar) and not all(our_rows)


@pytest.mark.parametrize(
    ("header", "label_error"),
    [(",".join(FIELDS[1:]), "missing-label"),
     (",".join([*FIELDS, "amount"]), 'refused: matching fields by name ("fieldsMatch": "partial") requires unique '
                                     "labels in the header")],
)
def test_a_file_we_reject_for_its_header_frictionless_rejects_for_its_labels(
    tmp_path: Path, header: str, label_error: str,
) -> None:
    # Given a header missing a required column, or with a column twice
    data = f"{header}\n".encode()
    # When both read it, Then we reject the file and frictionless reports the label
    assert ours(data, "csv", tmp_path)[0] == "REJECTED"
    assert frictionless_report(data, tmp_path)[0] == [label_error]


def test_every_listed_table_schema_limit_and_frictionless_difference_is_exercised() -> None:
    # Given the corpus tags, Then each row-level limit of the Table Schema and each frictionless difference has a case
    tags = set().union(*(tags for _, tags, _ in corpus_rows()))
    row_level = {limit.key for limit in LIMITS if TABLE_SCHEMA in limit.formats} - NOT_ROW_LEVEL
    assert row_level <= tags
    frictionless = {d.key for d in DIFFERENCES if d.validator.startswith("frictionless")} - {"fl_blank_rows"}
    assert frictionless == {key for tag, (key, _) in TAG_DIFFERENCES["frictionless"].items() if tag in tags}

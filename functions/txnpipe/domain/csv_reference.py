"""Reference CSV reader: Python's csv module, row by row (the oracle for the Arrow path)."""

from __future__ import annotations

import csv
import io

from txnpipe.domain.headers import check_header
from txnpipe.domain.results import FileRejected
from txnpipe.domain.rowwise import CountingReader, FileRun


def read_csv_reference(reader: CountingReader, run: FileRun, first_row: int = 1) -> None:
    """Validate every data row of a CSV stream (incrementally) into ``run``."""
    text = io.TextIOWrapper(io.BufferedReader(reader, 1 << 16), encoding="utf-8-sig", newline="")
    rows = csv.reader(text, strict=True)
    try:
        header = next((fields for fields in rows if fields), None)
        if header is None:
            raise FileRejected("empty file")
        check_header(header)
        row = first_row - 1
        for fields in rows:
            if not fields:
                continue
            row += 1
            _one_row(run, row, header, fields)
    except UnicodeDecodeError as error:
        raise FileRejected(f"not UTF-8 encoded (byte offset {error.start})") from error
    except csv.Error as error:
        raise FileRejected(f"not parseable as CSV: {error}") from error
    run.flush_pending()


def _one_row(run: FileRun, row: int, header: list[str], fields: list[str]) -> None:
    if len(fields) != len(header):
        run.reject(row, wrong_field_count(len(header), len(fields)), fields)
        return
    record = dict(zip(header, fields, strict=True))
    outcome = run.judge(record)
    if isinstance(outcome, str):
        run.reject(row, outcome, record)
    else:
        run.accept(row, outcome)


def wrong_field_count(expected: int, actual: int) -> str:
    """Reason text for a row whose field count differs from the header's."""
    return f"row: wrong field count (expected {expected}, got {actual})"

"""Per-row verdicts (True = accepted) of our pipeline and of the third-party validators, over the same files."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import frictionless
import jsonschema
from frictionless.formats import CsvControl

from contract.json_schema import transaction_schema
from contract.limits import DIFFERENCES, LIMITS
from contract.table_schema import DIALECT, ENCODING, table_schema
from txnpipe.domain.files import process_file
from txnpipe.domain.rules import FIELDS

#: Corpus tag → (difference of `contract.limits`, the validator's verdict on such a row), per validator.
TAG_DIFFERENCES: dict[str, dict[str, tuple[str, bool]]] = {
    "frictionless": {"trailing_newline": ("fl_trailing_newline", True), "after_short_row": ("fl_unique_short_rows", False)},
    "jsonschema": {},
}


def ours(data: bytes, fmt: str, tmp_path: Path) -> tuple[str, list[bool]]:
    """Our file status and per-row verdicts (rows in file order, 1-based positions)."""
    result = process_file(io.BytesIO(data), fmt=fmt, partner_id="p1", file_id="f1",  # type: ignore[arg-type]
                          ingested_at="2026-11-25T10:00:00Z", out_dir=tmp_path / "out")
    rejected = {error.row for error in result.errors}
    return result.status, [row not in rejected for row in range(1, result.rows_total + 1)]


def csv_bytes(rows: Iterable[dict[str, object] | list[str]], *, columns: Sequence[str] = FIELDS, bom: bool = False,
              newline: str = "\n", blank_every: int = 0) -> bytes:
    """A CSV of records (absent fields are empty cells) or raw field lists; a BOM, CRLF, blank lines on request."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=newline)
    writer.writerow(columns)
    for i, row in enumerate(rows, start=1):
        writer.writerow(row if isinstance(row, list) else ["" if row.get(c) is None else str(row.get(c)) for c in columns])
        if blank_every and i % blank_every == 0:
            out.write(newline)
    return (b"\xef\xbb\xbf" if bom else b"") + out.getvalue().encode("utf-8")


def frictionless_report(data: bytes, tmp_path: Path) -> tuple[list[str], list[bool]]:
    """frictionless with the generated Table Schema: file-level error types and per-row verdicts.

    Blank lines are skipped, as the contract says (frictionless reports them as `blank-row`).
    """
    path = tmp_path / "frictionless.csv"
    path.write_bytes(data)
    resource = frictionless.Resource(
        path=str(path), format="csv", encoding=ENCODING,
        dialect=frictionless.Dialect(header=DIALECT["header"],
                                     controls=[CsvControl(
                                         delimiter=DIALECT["delimiter"], quote_char=DIALECT["quoteChar"],
                                         double_quote=DIALECT["doubleQuote"])]),
        schema=frictionless.Schema.from_descriptor(table_schema()),
    )
    rows: list[bool] = []
    try:
        with resource:
            labels = [error.type for error in resource.header.errors]
            if labels:
                return labels, rows
            for row in resource.row_stream:
                types = {error.type for error in row.errors}
                if types == {"blank-row"}:
                    continue
                rows.append(not types)
    except frictionless.FrictionlessException as refused:  # e.g. a header naming a column twice
        return [f"refused: {refused.error.note}"], rows
    return [], rows


def jsonschema_verdicts(elements: Sequence[Any]) -> list[bool]:
    """jsonschema (draft 2020-12) with the generated schema over parsed JSON elements (numbers as floats)."""
    validator = jsonschema.Draft202012Validator(transaction_schema())
    return [validator.is_valid(element) for element in elements]


def json_elements(text: str) -> list[Any]:
    """The elements of a JSON array or JSON Lines text, as a partner's `json.loads` gives them."""
    stripped = text.lstrip()
    if stripped.startswith("["):
        loaded: list[Any] = json.loads(text)
        return loaded
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def expected_theirs(ours_ok: bool, tags: frozenset[str], *, fmt_name: str, validator: str) -> bool:
    """What the third-party validator should say: ours, unless the row's rule is one the format cannot state."""
    limits = {limit.key for limit in LIMITS if fmt_name in limit.formats}
    if tags & limits:
        return True
    known = {d.key for d in DIFFERENCES}
    for tag in sorted(tags):
        difference = TAG_DIFFERENCES[validator].get(tag)
        if difference is not None and difference[0] in known:
            return difference[1]
    return ours_ok

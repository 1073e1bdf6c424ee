"""Shared builders for the domain tests."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

from txnpipe.domain.files import process_file
from txnpipe.domain.results import FileResult

HEADER = "transaction_id,account_id,amount,currency,transaction_type,timestamp,merchant_id,description"
GOOD = {
    "transaction_id": "T1",
    "account_id": "ACC-1",
    "amount": "10.50",
    "currency": "USD",
    "transaction_type": "DEBIT",
    "timestamp": "2024-01-31T23:30:00+05:30",
    "merchant_id": "M_1",
    "description": "Coffee",
}
INGESTED = "2026-11-25T10:00:00Z"


def record(**changes: object) -> dict[str, object]:
    """GOOD with some fields changed (None removes the key)."""
    result: dict[str, object] = dict(GOOD)
    for key, value in changes.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = value
    return result


def csv_line(tid: str, amount: str = "10.50", currency: str = "USD", **over: str) -> str:
    """One CSV data line in HEADER order."""
    values = dict(GOOD, transaction_id=tid, amount=amount, currency=currency, **over)
    return ",".join(values[name] for name in HEADER.split(","))


def run(data: bytes, tmp_path: Path, fmt: str = "csv", engine: str = "arrow", **kwargs: Any) -> FileResult:
    """process_file over in-memory bytes into tmp_path/out."""
    return process_file(
        io.BytesIO(data), fmt=fmt, partner_id="p1", file_id="f1",  # type: ignore[arg-type]
        ingested_at=INGESTED, out_dir=tmp_path / "out", engine=engine, **kwargs,  # type: ignore[arg-type]
    )


def quarantine(tmp_path: Path, result: FileResult) -> list[dict[str, Any]]:
    """Parsed quarantine lines."""
    assert result.quarantine_file is not None
    text = (tmp_path / "out" / result.quarantine_file).read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines()]


def reasons(result: FileResult) -> list[tuple[int, str]]:
    """(row, reason) pairs of a result."""
    return [(error.row, error.reason) for error in result.errors]

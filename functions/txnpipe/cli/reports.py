"""What the partner tool prints for one checked file: a JSON object, or a short text for people."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Final

from txnpipe.domain.results import FileResult
from txnpipe.domain.version import CONTRACT_VERSION

TEXT_ERROR_LINES: Final = 20
"""Rejected rows listed by the text report; the rest are counted in a "... and K more" line."""


def report(path: Path, result: FileResult) -> dict[str, object]:
    """The JSON object printed for a result (``errors`` as capped by process_file; counts exact)."""
    body: dict[str, object] = {
        "file": str(path),
        "contract_version": CONTRACT_VERSION,
        "status": result.status,
        "rows": result.rows_total,
        "valid": result.rows_valid,
        "rejected": result.rows_rejected,
        "errors": [{"row": error.row, "reason": error.reason} for error in result.errors],
    }
    if result.reject_reason is not None:
        body["reason"] = result.reject_reason
    return body


def json_line(path: Path, result: FileResult) -> str:
    """The report as one line of JSON (one line per file when several are checked)."""
    return json.dumps(report(path, result), ensure_ascii=False)


def text_report(path: Path, result: FileResult) -> str:
    """A few lines for people: status, counts, the reason or the first rejected rows."""
    lines = [f"{path}: {result.status} (data contract {CONTRACT_VERSION})"]
    if result.reject_reason is not None:
        lines.append(f"  file rejected: {result.reject_reason}")
        return "\n".join(lines)
    lines.append(f"  {result.rows_total} rows: {result.rows_valid} valid, {result.rows_rejected} rejected")
    shown = result.errors[:TEXT_ERROR_LINES]
    lines.extend(f"  row {error.row}: {error.reason}" for error in shown)
    hidden = result.rows_rejected - len(shown)
    if hidden > 0:
        lines.append(f"  ... and {hidden} more")
    return "\n".join(lines)

"""Partner tool: check a local transaction file with the pipeline's own validation.

Usage: ``PYTHONPATH=functions python -m txnpipe.cli PATH`` (``.csv`` or ``.json``).
Prints one JSON object; exit code 0 = all rows valid, 1 = some rows rejected, 2 = file rejected.
"""

from __future__ import annotations

import json
import sys
import tempfile
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from txnpipe.domain.files import process_file
from txnpipe.domain.results import FileResult

_EXIT_CODES = {"VALID": 0, "INVALID_ROWS": 1, "REJECTED": 2}
_USAGE = "usage: python -m txnpipe.cli PATH  (PATH ends in .csv or .json)"


def _format_of(path: Path) -> Literal["csv", "json"] | None:
    suffix = path.suffix
    if suffix == ".csv":
        return "csv"
    if suffix == ".json":
        return "json"
    return None


def check_file(path: Path, fmt: Literal["csv", "json"]) -> FileResult:
    """Run process_file on a local file into a temporary directory (discarded afterwards)."""
    ingested_at = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    with tempfile.TemporaryDirectory() as out_dir, path.open("rb") as stream:
        return process_file(stream, fmt=fmt, partner_id="local", file_id="check",
                            ingested_at=ingested_at, out_dir=Path(out_dir))


def report(path: Path, result: FileResult) -> dict[str, object]:
    """The JSON object printed for a result."""
    body: dict[str, object] = {
        "file": str(path),
        "status": result.status,
        "rows": result.rows_total,
        "valid": result.rows_valid,
        "rejected": result.rows_rejected,
        "errors": [{"row": error.row, "reason": error.reason} for error in result.errors],
    }
    if result.reject_reason is not None:
        body["reason"] = result.reject_reason
    return body


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 1:
        print(_USAGE, file=sys.stderr)
        return 64
    path = Path(args[0])
    fmt = _format_of(path)
    if fmt is None:
        print(f"error: {path}: unknown format (expected a .csv or .json file)\n{_USAGE}", file=sys.stderr)
        return 64
    if not path.is_file():
        print(f"error: {path}: no such file", file=sys.stderr)
        return 66
    result = check_file(path, fmt)
    print(json.dumps(report(path, result), ensure_ascii=False))
    return _EXIT_CODES[result.status]


if __name__ == "__main__":
    sys.exit(main())

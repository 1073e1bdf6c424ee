"""Result types of file processing."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

Status = Literal["VALID", "INVALID_ROWS", "REJECTED"]


@dataclass(frozen=True, slots=True)
class RowError:
    """One rejected row: 1-based data-row number and the reason ``"<field>: <problem>"``."""

    row: int
    reason: str


@dataclass(frozen=True, slots=True)
class FileResult:
    """Outcome of one file. Invariant: ``rows_total == rows_valid + rows_rejected``.

    ``errors`` holds at most ``max_errors_in_result`` entries; the counts are always exact.
    Paths are relative to the ``out_dir`` given to ``process_file``.
    """

    status: Status
    rows_total: int
    rows_valid: int
    rows_rejected: int
    reject_reason: str | None
    errors: list[RowError] = field(default_factory=list)
    processed_files: list[Path] = field(default_factory=list)
    quarantine_file: Path | None = None
    min_transaction_date: str | None = None
    max_transaction_date: str | None = None
    bytes_read: int = 0


class FileRejected(Exception):
    """Raised inside the readers when the file cannot be read as a table (never escapes)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def rejected(reason: str, bytes_read: int) -> FileResult:
    """A FileResult for a file rejected as a whole (nothing written)."""
    return FileResult("REJECTED", 0, 0, 0, reason, bytes_read=bytes_read)

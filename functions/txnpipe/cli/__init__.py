"""Partner tool: check local transaction files with the pipeline's own validation, offline.

Run as ``txnpipe-validate FILE...`` (installed from ``partner-cli/``) or, in this repository,
``make validate FILE=path`` (``PYTHONPATH=functions python -m txnpipe.cli FILE...``). It reads the
files only: nothing is uploaded and no AWS service is contacted. The output formats and exit codes
are in ``--help`` (``exit_codes.HELP``).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO, Literal, NoReturn

from txnpipe.cli.exit_codes import BY_STATUS, EXIT_NO_INPUT, EXIT_USAGE, HELP
from txnpipe.cli.progress import Bar, ProgressReader
from txnpipe.cli.reports import json_line, report, text_report
from txnpipe.domain.files import process_file
from txnpipe.domain.results import FileResult
from txnpipe.domain.version import CONTRACT_VERSION

__all__ = ["check_file", "main", "report"]

PROG = "txnpipe-validate"
FileFormat = Literal["csv", "json"]


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error exits 64 (EX_USAGE) instead of argparse's 2 (2 = REJECTED here)."""

    def error(self, message: str) -> NoReturn:
        """Print the usage and the problem, exit 64."""
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG, formatter_class=argparse.RawDescriptionHelpFormatter, epilog=HELP,
        description=f"Check transaction files (.csv or .json) against the txnpipe data contract {CONTRACT_VERSION}\n"
                    "with the pipeline's own validation code. Reads the files only: nothing is uploaded,\n"
                    "no AWS service is contacted.",
    )
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE", help="a .csv or .json file")
    parser.add_argument("--format", choices=["json", "text"], default="json",
                        help="json (default): one JSON object per line, one line per FILE; text: a short report for people")
    parser.add_argument("--no-progress", action="store_true",
                        help="no progress bar (it is drawn on stderr only when stderr is a terminal)")
    parser.add_argument("--version", action="version", version=f"{PROG} (data contract {CONTRACT_VERSION})")
    return parser


_FORMATS: dict[str, FileFormat] = {".csv": "csv", ".json": "json"}  # lower case only, as the pipeline's routing


class _Unusable(Exception):
    """Arguments that cannot be checked: the exit code and one message per file."""

    def __init__(self, code: int, messages: list[str]) -> None:
        super().__init__("\n".join(messages))
        self.code = code


def check_file(path: Path, fmt: FileFormat, *, progress: Bar | None = None) -> FileResult:
    """Run process_file on a local file, its outputs into a temporary directory (discarded afterwards)."""
    ingested_at = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    with tempfile.TemporaryDirectory() as out_dir, path.open("rb") as raw:
        stream: BinaryIO = raw if progress is None else ProgressReader(raw, progress)  # type: ignore[assignment]
        try:
            return process_file(stream, fmt=fmt, partner_id="local", file_id="check",
                                ingested_at=ingested_at, out_dir=Path(out_dir))
        finally:
            if progress is not None:
                progress.finish()


def _plan(paths: Sequence[Path]) -> list[tuple[Path, FileFormat]]:
    """Each file with its format; raises _Unusable before anything is checked if one cannot be."""
    unknown = [path for path in paths if path.suffix not in _FORMATS]
    if unknown:
        raise _Unusable(EXIT_USAGE, [f"error: {path}: unknown format (expected a .csv or .json file)" for path in unknown])
    missing = [path for path in paths if not path.is_file()]
    if missing:
        raise _Unusable(EXIT_NO_INPUT, [f"error: {path}: no such file" for path in missing])
    return [(path, _FORMATS[path.suffix]) for path in paths]


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the exit code (the worst over the files)."""
    try:
        args = _parser().parse_args(sys.argv[1:] if argv is None else argv)
    except SystemExit as done:  # --help, --version, usage errors
        return done.code if isinstance(done.code, int) else EXIT_USAGE
    try:
        plan = _plan(args.files)
    except _Unusable as unusable:
        print(f"{unusable}\nsee: {PROG} --help", file=sys.stderr)
        return unusable.code
    draw = not args.no_progress and sys.stderr.isatty()
    worst = 0
    for path, fmt in plan:
        bar = Bar(out=sys.stderr, label=path.name, total=path.stat().st_size) if draw else None
        result = check_file(path, fmt, progress=bar)
        print(json_line(path, result) if args.format == "json" else text_report(path, result), flush=True)
        worst = max(worst, BY_STATUS[result.status])
    return worst

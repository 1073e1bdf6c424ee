"""The progress bar: on stderr when stderr is a terminal (a real pty here), never on stdout or a pipe."""

from __future__ import annotations

import errno
import io
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from bench.gen_data import generate
from txnpipe.cli.progress import Bar, ProgressReader

from .runs import FUNCTIONS, Run, validate

FULL_BAR = "[" + "#" * 30 + "]"


def with_terminal_stderr(*args: str | Path) -> Run:
    """Run ``make validate``'s command with stderr on a pseudo-terminal and stdout into a file."""
    master, slave = os.openpty()
    env = dict(os.environ, PYTHONPATH=str(FUNCTIONS))
    # stdout goes to a file, not a pipe: a report larger than a pipe's buffer would block the child
    # while this side waits for the terminal to close.
    with tempfile.TemporaryFile() as stdout, subprocess.Popen(
        [sys.executable, "-m", "txnpipe.cli", *map(str, args)], stdout=stdout, stderr=slave, env=env
    ) as process:
        os.close(slave)
        terminal = _drain(master)
        code = process.wait(timeout=120)
        stdout.seek(0)
        printed = stdout.read().decode()
    return Run(code, printed, terminal)


def _drain(master: int) -> str:
    """Everything written to the terminal until its last writer closes it."""
    terminal = bytearray()
    try:
        while chunk := os.read(master, 65536):
            terminal.extend(chunk)
    except OSError as error:  # Linux answers EIO once the child's end is closed
        if error.errno != errno.EIO:
            raise
    finally:
        os.close(master)
    return terminal.decode(errors="replace")


@pytest.fixture(scope="module")
def big_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("progress") / "big.csv"
    generate(path, 3_000_000)
    return path


def test_a_terminal_sees_the_bar_reach_the_whole_file(big_csv: Path) -> None:
    # Given stderr on a terminal / When a file is checked
    run = with_terminal_stderr(big_csv)
    # Then the bar is drawn there up to the file's full size
    assert FULL_BAR in run.stderr
    assert f"100%  {big_csv.stat().st_size / 1e6:.1f}/{big_csv.stat().st_size / 1e6:.1f} MB" in run.stderr


def test_the_bar_leaves_the_json_on_stdout_untouched(big_csv: Path) -> None:
    assert with_terminal_stderr(big_csv).stdout == validate(big_csv).stdout


def test_no_bar_when_stderr_is_not_a_terminal(big_csv: Path) -> None:
    assert validate(big_csv).stderr == ""


def test_no_progress_option_silences_the_terminal(big_csv: Path) -> None:
    assert with_terminal_stderr("--no-progress", big_csv).stderr == ""


def test_reader_advances_the_bar_by_every_byte_read() -> None:
    # Given 2.5 MB behind a progress reader
    data = bytes(2_500_000)
    out = io.StringIO()
    bar = Bar(out=out, label="x.csv", total=len(data))
    reader = ProgressReader(io.BytesIO(data), bar)
    # When it is read in pieces, some through readinto
    buffer = bytearray(100_000)
    while reader.readinto(buffer) and reader.read(300_000):
        pass
    reader.read()
    bar.finish()
    # Then the final drawing shows every byte
    assert "x.csv " + FULL_BAR + " 100%  2.5/2.5 MB" in out.getvalue()


def test_bar_redraws_far_less_often_than_it_advances() -> None:
    out = io.StringIO()
    bar = Bar(out=out, label="x", total=100_000)
    for _ in range(100_000):
        bar.advance(1)
    assert out.getvalue().count("\r") < 1_000

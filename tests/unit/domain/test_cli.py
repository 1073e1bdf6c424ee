"""Partner tool: one JSON object on stdout, exit codes 0 / 1 / 2 (run as a real subprocess)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .helpers import HEADER, csv_line

FUNCTIONS = Path(__file__).resolve().parents[3] / "functions"


def cli(path: Path) -> tuple[int, dict[str, object], str]:
    env = dict(os.environ, PYTHONPATH=str(FUNCTIONS))
    done = subprocess.run([sys.executable, "-m", "txnpipe.cli", str(path)], capture_output=True,
                          text=True, env=env, timeout=60, check=False)
    body = json.loads(done.stdout) if done.stdout.strip() else {}
    return done.returncode, body, done.stderr


@pytest.mark.parametrize(
    "lines, code, status",
    [([csv_line("T1")], 0, "VALID"), ([csv_line("T1"), csv_line("T2", amount="-1")], 1, "INVALID_ROWS")],
)
def test_csv_exit_codes_and_report(tmp_path: Path, lines: list[str], code: int, status: str) -> None:
    path = tmp_path / "upload.csv"
    path.write_text("\n".join([HEADER, *lines]) + "\n")
    returncode, body, _ = cli(path)
    assert returncode == code
    assert body["status"] == status and body["rows"] == len(lines) and body["file"] == str(path)
    assert body["valid"] == 1 and body["rejected"] == len(lines) - 1
    if code == 1:
        assert body["errors"] == [{"row": 2, "reason": "amount: sign not allowed"}]
    assert "reason" not in body


def test_rejected_file_exits_2_with_reason(tmp_path: Path) -> None:
    path = tmp_path / "upload.json"
    path.write_text("not json at all")
    returncode, body, _ = cli(path)
    assert (returncode, body["status"], body["rows"]) == (2, "REJECTED", 0)
    assert body["reason"] == "not JSON: expected an array of objects or JSON Lines"


def test_unknown_extension_is_a_clear_usage_error(tmp_path: Path) -> None:
    path = tmp_path / "upload.txt"
    path.write_text(HEADER)
    returncode, body, stderr = cli(path)
    assert returncode == 64 and body == {}
    assert "unknown format (expected a .csv or .json file)" in stderr

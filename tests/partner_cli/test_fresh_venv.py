"""The issue's proof: in a fresh virtual environment, the one-line install gives ``txnpipe-validate``,
which answers every sample file with the same JSON and exit code as ``make validate``'s command,
with no boto3 installed and any network use refused.

The install is the README's line, ``python -m pip install ./partner-cli``, from a copy of the
repository's files (as a clone holds them: no build products); pyarrow comes from PyPI through
pip's cache, the newest release the declared range admits (``make validate`` runs the Lambda's pin).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from .corpus import write_corpus
from .runs import ROOT, Run, validate

pytestmark = pytest.mark.slow

# Runs a console script with every socket operation refused (audit events, PEP 578).
NO_NETWORK = """
import runpy, sys
def refuse(event, args):
    if event.startswith("socket."):
        raise PermissionError(f"network use refused in this test: {event}")
sys.addaudithook(refuse)
sys.argv = sys.argv[1:]
runpy.run_path(sys.argv[0], run_name="__main__")
"""
UNREACHABLE = "http://127.0.0.1:9"


def clean_copy(destination: Path) -> Path:
    """The repository's tracked (and new, unignored) files, as a fresh clone would hold them."""
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z", "partner-cli", "functions"],
                            cwd=ROOT, capture_output=True, check=True, timeout=60).stdout
    for name in filter(None, listed.decode().split("\0")):
        source = ROOT / name
        if source.is_file():
            target = destination / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(source.read_bytes())
    return destination


def offline_env(home: Path, venv: Path) -> dict[str, str]:
    """No AWS credentials or configuration; every proxy and AWS endpoint points at a closed port."""
    env = {"PATH": f"{venv / 'bin'}:/usr/bin:/bin", "HOME": str(home), "LANG": "C.UTF-8",
           "AWS_CONFIG_FILE": str(home / "none"), "AWS_SHARED_CREDENTIALS_FILE": str(home / "none"),
           "AWS_EC2_METADATA_DISABLED": "true", "AWS_ENDPOINT_URL": UNREACHABLE, "NO_PROXY": "", "no_proxy": ""}
    env.update({name: UNREACHABLE for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy")})
    return env


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("fresh")
    repo = clean_copy(base / "repo")
    venv = base / "venv"
    python = Path(sys.base_prefix) / "bin" / "python3"
    subprocess.run([str(python), "-m", "venv", str(venv)], check=True, timeout=300)
    subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "./partner-cli"],
                   cwd=repo, check=True, timeout=900)
    return venv


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return write_corpus(tmp_path_factory.mktemp("corpus"))


def installed(venv: Path, *args: str | Path, script: str = "txnpipe-validate") -> Run:
    """The installed console script, under the no-network guard, in the offline environment."""
    command = [str(venv / "bin" / "python"), "-c", NO_NETWORK, str(venv / "bin" / script), *map(str, args)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False,
                          env=offline_env(venv.parent, venv), cwd=venv.parent)
    return Run(done.returncode, done.stdout, done.stderr)


def test_boto3_is_not_there(venv: Path) -> None:
    done = subprocess.run([str(venv / "bin" / "python"), "-c", "import boto3"], capture_output=True, text=True,
                          timeout=60, check=False)
    assert "No module named 'boto3'" in done.stderr


def test_the_guard_refuses_a_connection(venv: Path, tmp_path: Path) -> None:
    # Given a script that opens a connection / When it runs under the guard / Then it fails
    script = tmp_path / "connect.py"
    script.write_text("import socket\nsocket.create_connection(('127.0.0.1', 9), timeout=1)\n")
    command = [str(venv / "bin" / "python"), "-c", NO_NETWORK, str(script)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    assert "PermissionError: network use refused in this test: socket." in done.stderr


@pytest.mark.parametrize("key", ["valid_csv", "bad_rows_csv", "bad_rows_json", "json_lines", "not_json",
                                 "wrong_header", "not_utf8", "empty_csv", "generated_csv"])
def test_each_sample_gets_the_same_json_and_exit_code_as_make_validate(
    venv: Path, corpus: dict[str, Path], key: str
) -> None:
    # Given make validate's answer for the file
    expected = validate(corpus[key])
    # When the installed CLI checks it, offline
    run = installed(venv, corpus[key])
    # Then the JSON and the exit code are the same, and nothing was said on stderr
    assert (run.code, json.loads(run.stdout)) == (expected.code, json.loads(expected.stdout))
    assert run.stderr == ""


def test_several_files_and_text_format_match_too(venv: Path, corpus: dict[str, Path]) -> None:
    files = [corpus["valid_csv"], corpus["generated_csv"], corpus["not_json"]]
    for args in (files, ["--format", "text", *files]):
        run, expected = installed(venv, *args), validate(*args)
        assert (run.code, run.stdout) == (expected.code, expected.stdout)


def test_usage_errors_keep_their_codes(venv: Path, corpus: dict[str, Path]) -> None:
    for args in (["x.txt"], ["missing.csv"], ["--bogus", str(corpus["valid_csv"])]):
        assert installed(venv, *args).code == validate(*args, cwd=venv.parent).code


def test_the_cli_runs_from_the_fresh_environment_not_this_repository(venv: Path) -> None:
    done = subprocess.run([str(venv / "bin" / "python"), "-c", "import txnpipe; print(txnpipe.__file__)"],
                          capture_output=True, text=True, timeout=60, check=True, env=offline_env(venv.parent, venv))
    assert Path(done.stdout.strip()).is_relative_to(venv / "lib")

"""txnpipe-validate's interface: several files, --format text, exit codes, usage errors, --help."""

from __future__ import annotations

import inspect
import json
from pathlib import Path

import pytest

from tests.unit.domain.helpers import HEADER, csv_line
from txnpipe.cli import exit_codes, main
from txnpipe.cli.reports import TEXT_ERROR_LINES
from txnpipe.domain.files import process_file
from txnpipe.domain.version import CONTRACT_VERSION

from .corpus import write_corpus
from .runs import validate

JSON_ERROR_CAP = inspect.signature(process_file).parameters["max_errors_in_result"].default


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return write_corpus(tmp_path_factory.mktemp("corpus"))


def many_bad_rows(path: Path, count: int) -> Path:
    """A CSV with one good row and ``count`` rows with a negative amount."""
    lines = [HEADER, csv_line("T0"), *(csv_line(f"T{i}", amount="-1") for i in range(1, count + 1))]
    path.write_text("\n".join(lines) + "\n")
    return path


def test_one_file_prints_one_json_object_with_the_contract_version(corpus: dict[str, Path]) -> None:
    # Given a valid file / When it is checked alone
    run = validate(corpus["valid_csv"])
    # Then stdout is exactly one line holding one object, which names the contract version
    assert len(run.stdout.splitlines()) == 1
    assert json.loads(run.stdout)["contract_version"] == CONTRACT_VERSION


@pytest.mark.parametrize("keys", [["valid_csv", "bad_rows_csv", "not_json"], ["not_json", "valid_csv"], ["json_lines"]])
def test_several_files_give_one_line_each_in_order_and_the_worst_exit_code(corpus: dict[str, Path], keys: list[str]) -> None:
    # Given the single-file reports of some files
    alone = [validate(corpus[key]) for key in keys]
    # When they are checked in one run
    together = validate(*(corpus[key] for key in keys))
    # Then each line is that file's own report, and the exit code is the worst of theirs
    assert together.stdout.splitlines() == [run.stdout.strip() for run in alone]
    assert together.code == max(run.code for run in alone)


def test_text_report_lists_the_first_rows_then_counts_the_rest(tmp_path: Path) -> None:
    # Given a file with more rejected rows than the text report lists
    path = many_bad_rows(tmp_path / "bad.csv", TEXT_ERROR_LINES + 7)
    body = json.loads(validate(path).stdout)
    # When it is checked with --format text
    lines = validate("--format", "text", path).stdout.splitlines()
    # Then: status line, counts line, the first rows' reasons, and a "... and K more" line
    assert lines[0] == f"{path}: INVALID_ROWS (data contract {CONTRACT_VERSION})"
    assert lines[1] == f"  {body['rows']} rows: {body['valid']} valid, {body['rejected']} rejected"
    assert lines[2:-1] == [f"  row {e['row']}: {e['reason']}" for e in body["errors"][:TEXT_ERROR_LINES]]
    assert lines[-1] == f"  ... and {body['rejected'] - TEXT_ERROR_LINES} more"


def test_text_report_of_a_rejected_file_gives_the_reason(corpus: dict[str, Path]) -> None:
    body = json.loads(validate(corpus["wrong_header"]).stdout)
    run = validate("--format", "text", corpus["wrong_header"])
    assert run.stdout.splitlines()[1] == f"  file rejected: {body['reason']}"
    assert run.code == exit_codes.EXIT_REJECTED


def test_text_report_of_a_valid_file_has_no_row_lines(corpus: dict[str, Path]) -> None:
    lines = validate("--format", "text", corpus["valid_csv"]).stdout.splitlines()
    assert len(lines) == 2


def test_json_errors_keep_the_pipeline_cap_and_exact_counts(tmp_path: Path) -> None:
    # Given more rejected rows than process_file keeps in a result
    path = many_bad_rows(tmp_path / "many.csv", JSON_ERROR_CAP + 5)
    # When checked / Then the list is capped where the Lambda caps it, the count is exact
    body = json.loads(validate(path).stdout)
    assert len(body["errors"]) == JSON_ERROR_CAP
    assert body["rejected"] == JSON_ERROR_CAP + 5


VALID = "<a valid file>"


@pytest.mark.parametrize(
    "args, code, message",
    [
        (["a.txt", VALID], exit_codes.EXIT_USAGE, "a.txt: unknown format (expected a .csv or .json file)"),
        ([VALID, "missing.csv"], exit_codes.EXIT_NO_INPUT, "missing.csv: no such file"),
        ([], exit_codes.EXIT_USAGE, "the following arguments are required: FILE"),
        (["--format", "xml", VALID], exit_codes.EXIT_USAGE, "invalid choice: 'xml'"),
        (["--upload", VALID], exit_codes.EXIT_USAGE, "unrecognized arguments: --upload"),
    ],
)
def test_unusable_arguments_exit_with_their_code_and_say_why(
    corpus: dict[str, Path], capsys: pytest.CaptureFixture[str], args: list[str], code: int, message: str
) -> None:
    # Given arguments that cannot all be checked (most beside a valid file)
    argv = [str(corpus["valid_csv"]) if arg == VALID else arg for arg in args]
    # When the CLI runs / Then it exits with the problem's code, names it, and checks nothing
    assert main(argv) == code
    captured = capsys.readouterr()
    assert message in captured.err
    assert captured.out == ""


def test_help_documents_every_exit_code(capsys: pytest.CaptureFixture[str]) -> None:
    codes = [value for name, value in vars(exit_codes).items() if name.startswith("EXIT_")]
    assert main(["--help"]) == 0
    help_lines = capsys.readouterr().out.splitlines()
    for code in codes:
        assert any(line.strip().startswith(f"{code} ") for line in help_lines), code


def test_version_names_the_contract(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert CONTRACT_VERSION in capsys.readouterr().out

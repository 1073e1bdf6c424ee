"""The documentation stays inside the repository: no link or path that leaves it, no machine path.

A partner may get only this repository (or only its published files), so a link to a sibling
checkout or a path on the machine that wrote the docs is a dead end for them.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
_LINK = re.compile(r"\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)|^\s*\[[^\]]+\]:\s*(\S+)", re.MULTILINE)
_UP = re.compile(r"(?<![\w.])((?:\.\./)+[\w.\-/]*)")
_MACHINE = re.compile(
    r"(?<![\w.:/~<>-])(/(?:work|root|home|opt|usr|mnt|var|srv|etc|Users|private|nix)/[\w.\-/]*"
    r"|/tmp/[\w.\-/]+|~/[\w.\-/]+|[A-Za-z]:\\[\w\\.\-]+)"
)
_CODE_SPAN = re.compile(r"`[^`]*`")
_EXTERNAL = ("http://", "https://", "mailto:", "#")


def _markdown_files() -> list[Path]:
    listed = subprocess.run(["git", "ls-files", "*.md"], cwd=ROOT, check=True, capture_output=True, text=True)
    return [ROOT / name for name in listed.stdout.split() if not name.startswith("node_modules/")]


def _escapes(base: Path, target: str) -> bool:
    resolved = (base / target.split("#", 1)[0]).resolve()
    return ROOT not in (resolved, *resolved.parents)


def problems(path: Path, text: str) -> list[str]:
    """Each link or path in `text` (the contents of `path`) that leaves the repository or names a machine."""
    found: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        where = f"{path.relative_to(ROOT)}:{number}"
        prose = _CODE_SPAN.sub("", line)  # `...](x)` inside code is not a link
        targets = [match.group(1) or match.group(2) for match in _LINK.finditer(prose)]
        for target in targets:
            if target.startswith(_EXTERNAL):
                continue
            if _escapes(path.parent, target):
                found.append(f"{where}: link leaves the repository: {target}")
            elif not (path.parent / target.split("#", 1)[0]).exists():
                found.append(f"{where}: link to a missing file: {target}")
        found += [f"{where}: path leaves the repository: {m}" for m in _UP.findall(line)
                  if m not in targets and _escapes(path.parent, m)]
        found += [f"{where}: machine path: {m}" for m in _MACHINE.findall(line)]
    return found


def test_no_doc_leaves_the_repository() -> None:
    # Given every markdown file git tracks
    files = _markdown_files()
    # When each is read for links and paths
    found = [problem for path in files for problem in problems(path, path.read_text(encoding="utf-8"))]
    # Then none leaves the repository or names a machine path
    assert found == []


def test_the_readme_and_the_contract_are_checked() -> None:
    # Given the files the check reads
    names = {path.relative_to(ROOT).as_posix() for path in _markdown_files()}
    # Then the README and the contract pages are among them
    assert {"README.md", "docs/contract.md", "docs/data-contract.md"} <= names


@pytest.mark.parametrize(
    "line",
    [
        "See the [data contract](../shared/spec/transactions.md).",
        "The contract is `../../shared/spec/transactions.md`.",
        "The contract is `/work/shared/spec/transactions.md`.",
        "Plugins come from /opt/tf-plugins by default.",
        "Run it in /tmp/ci-clone first.",
        "Credentials live in ~/.aws/credentials.",
        "[missing](docs/nowhere.md)",
    ],
    ids=["link-up", "code-up", "work", "opt", "tmp", "home", "missing"],
)
def test_a_line_that_leaves_or_names_a_machine_is_reported(line: str) -> None:
    # Given a README line that points outside the repository, at a machine, or at nothing
    # When it is checked
    found = problems(ROOT / "README.md", line)
    # Then it is reported
    assert len(found) == 1


@pytest.mark.parametrize(
    "line",
    [
        "See [the choices](docs/data-contract.md#files-process_file) and [AWS](https://docs.aws.amazon.com/lambda/latest/dg/x.html).",
        "The function has 4 GB of `/tmp` and answers `GET /files/{id}`.",
        "`uploads/<partner_id>/` in the raw bucket, `processed/transaction_date=YYYY-MM-DD/`.",
        "A timestamp is `YYYY-MM-DDTHH:MM:SS[.f{1,9}](Z|±hh:mm)`.",
    ],
    ids=["links", "aws-and-routes", "s3-prefixes", "code-not-a-link"],
)
def test_a_line_inside_the_repository_passes(line: str) -> None:
    # Given a README line with in-repository links, AWS paths and API routes
    # When it is checked
    found = problems(ROOT / "README.md", line)
    # Then nothing is reported
    assert found == []

"""The patch registry generates the README's emulator sections; an unregistered or undocumented patch fails."""

from __future__ import annotations

from pathlib import Path

import pytest

from localcloud.emulator import ROOT
from localcloud.patch_registry import Limitation, Patch, marked, render_additions, replace_marked
from localcloud.patches import CONFIGURATION, LIMITATIONS, PATCHES
from localcloud.patches.__main__ import main, sections, write

README = ROOT / "README.md"
# Modules under localcloud/patches that are not additions: the worker's bootstrap script, the CLI.
NOT_PATCHES = {"__init__", "__main__", "lambda_bootstrap"}
REGENERATE = "run: .venv/bin/python -m localcloud.patches --write README.md"


@pytest.mark.parametrize("name", ["additions", "limitations"])
def test_readme_section_is_what_the_registry_generates(name: str) -> None:
    assert marked(README.read_text(encoding="utf-8"), name) == sections()[name], REGENERATE


def test_every_patch_module_is_registered() -> None:
    modules = {p.stem for p in (ROOT / "localcloud" / "patches").glob("*.py")} - NOT_PATCHES
    registered = {patch.module.rsplit(".", 1)[-1] for patch in PATCHES}
    assert modules - registered == set(), "add a Patch(...) line to PATCHES in localcloud/patches/__init__.py"


def test_every_registered_patch_module_exists() -> None:
    missing = [p.module for p in PATCHES if not (ROOT / Path(*p.module.split("."))).with_suffix(".py").is_file()]
    assert missing == []


def test_a_patch_added_without_regenerating_makes_the_readme_differ() -> None:
    # Given one more registered patch, When the table is rendered, Then the README's section no longer matches
    extra = Patch(adds="Kinesis: something new", module="localcloud.patches.kinesis", why="moto lacks it")
    assert render_additions((*PATCHES, extra), CONFIGURATION) != marked(README.read_text(encoding="utf-8"), "additions")


def test_write_brings_a_stale_readme_up_to_date(tmp_path: Path) -> None:
    stale = tmp_path / "README.md"
    stale.write_text(replace_marked(README.read_text(encoding="utf-8"), "additions", "| old | table |"), encoding="utf-8")
    assert write(stale) is True
    assert marked(stale.read_text(encoding="utf-8"), "additions") == sections()["additions"]


def test_write_leaves_a_current_readme_unchanged(tmp_path: Path) -> None:
    current = tmp_path / "README.md"
    current.write_text(README.read_text(encoding="utf-8"), encoding="utf-8")
    assert write(current) is False


def test_readme_without_markers_is_refused_naming_the_marker() -> None:
    with pytest.raises(ValueError, match="localcloud:additions"):
        replace_marked("# no markers here\n", "additions", "x")


def test_cli_write_of_a_file_without_markers_fails(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plain = tmp_path / "README.md"
    plain.write_text("# nothing marked\n", encoding="utf-8")
    assert main(["--write", str(plain)]) == 1
    assert "localcloud:additions" in capsys.readouterr().err


def test_cli_markdown_prints_both_sections(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--markdown"]) == 0
    out = capsys.readouterr().out
    assert "<!-- localcloud:additions -->" in out and "<!-- /localcloud:limitations -->" in out


def test_patch_without_why_is_refused_naming_the_module() -> None:
    with pytest.raises(ValueError, match=r"localcloud\.patches\.kinesis: 'why' is empty"):
        Patch(adds="Kinesis", module="localcloud.patches.kinesis", why=" ")


def test_patch_outside_the_patches_package_is_refused() -> None:
    with pytest.raises(ValueError, match=r"must live in localcloud\.patches"):
        Patch(adds="x", module="localcloud.kinesis", why="y")


def test_limitation_without_what_to_verify_is_refused() -> None:
    with pytest.raises(ValueError, match="what to verify"):
        Limitation(cannot_show="Kinesis is not emulated.", verify="")


def test_every_limitation_names_what_to_verify_in_a_real_account() -> None:
    assert all(line.count("Verify in a real account:") == 1 for line in sections()["limitations"].splitlines())
    assert len(sections()["limitations"].splitlines()) == len(LIMITATIONS)


def test_table_cells_escape_pipes() -> None:
    table = render_additions((Patch(adds="a | b", module="localcloud.patches.x", why="c"),))
    assert "| a \\| b | c |" in table

"""Reproducible Lambda zips: same code → same bytes and hash; changed code → changed hash."""

from __future__ import annotations

import os
import shutil
import zipfile
from pathlib import Path

import pytest

from stacks.constructs.packaging import FIXED_DATE_TIME, function_zip
from stacks.paths import FUNCTIONS_DIR


def copy_functions(dest: Path) -> Path:
    shutil.copytree(FUNCTIONS_DIR, dest, ignore=shutil.ignore_patterns("__pycache__"))
    return dest


def build(functions_dir: Path, out: Path) -> tuple[bytes, str]:
    archive = function_zip(functions_dir=functions_dir, function="file_status", shared=["txnpipe"], out_dir=out)
    return archive.path.read_bytes(), archive.sha256_b64


def test_same_sources_in_two_places_with_new_mtimes_give_identical_bytes(tmp_path: Path) -> None:
    first = copy_functions(tmp_path / "a")
    second = copy_functions(tmp_path / "b")
    for path in second.rglob("*"):
        os.utime(path, (1_900_000_000, 1_900_000_000))
    (second / "file_status" / "__pycache__").mkdir()
    (second / "file_status" / "__pycache__" / "handler.cpython-311.pyc").write_bytes(b"junk")
    assert build(first, tmp_path / "out-a") == build(second, tmp_path / "out-b")


def test_a_code_change_changes_the_hash(tmp_path: Path) -> None:
    functions = copy_functions(tmp_path / "fn")
    _, before = build(functions, tmp_path / "out1")
    (functions / "txnpipe" / "status.py").write_text((functions / "txnpipe" / "status.py").read_text() + "\n# x\n")
    _, after = build(functions, tmp_path / "out2")
    assert before != after


def test_entries_are_sorted_fixed_time_fixed_mode_and_shared_code_once(tmp_path: Path) -> None:
    data, _ = build(FUNCTIONS_DIR, tmp_path)
    with zipfile.ZipFile(tmp_path / "file_status.zip") as archive:
        infos = archive.infolist()
    names = [i.filename for i in infos]
    assert names == sorted(names)
    assert "file_status/handler.py" in names and "txnpipe/status.py" in names
    assert len(names) == len(set(names))
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]
    assert {i.date_time for i in infos} == {FIXED_DATE_TIME}
    assert {i.external_attr >> 16 for i in infos} == {0o100644}
    assert data


def test_a_function_without_handler_is_refused_with_its_name(tmp_path: Path) -> None:
    (tmp_path / "ghost").mkdir()
    with pytest.raises(FileNotFoundError, match="'ghost'"):
        function_zip(functions_dir=tmp_path, function="ghost", shared=[], out_dir=tmp_path / "out")

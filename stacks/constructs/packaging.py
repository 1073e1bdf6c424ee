"""Reproducible zip archives for Lambda code and layers.

Same inputs give the same bytes on any machine: entries sorted, timestamps fixed,
modes normalised, caches left out. The content hash is therefore a true code hash.
"""

from __future__ import annotations

import base64
import hashlib
import os
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

FIXED_DATE_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can carry
_SKIP_DIRS = frozenset({"__pycache__", ".mypy_cache", ".pytest_cache", "tests"})
_SKIP_SUFFIXES = (".pyc", ".pyo")


@dataclass(frozen=True)
class Archive:
    """A built archive and its Terraform `source_code_hash` (base64 SHA-256)."""

    path: Path
    sha256_b64: str


def iter_tree(root: Path, prefix: str) -> Iterator[tuple[str, Path]]:
    """Yield `(archive name, file)` for every file under `root`, minus caches."""
    for path in root.rglob("*"):
        rel = path.relative_to(root)
        if path.is_dir() or _SKIP_DIRS.intersection(rel.parts) or path.name.endswith(_SKIP_SUFFIXES):
            continue
        yield f"{prefix}{rel.as_posix()}", path


def write_zip(entries: Iterable[tuple[str, Path]], destination: Path) -> Archive:
    """Write `entries` deterministically to `destination` and return its hash."""
    ordered = sorted(entries)
    names = [name for name, _ in ordered]
    duplicates = {n for n in names if names.count(n) > 1}
    if duplicates:
        raise ValueError(f"archive {destination.name} would contain duplicate entries: {sorted(duplicates)}")
    destination.parent.mkdir(parents=True, exist_ok=True)
    tmp = destination.with_suffix(f".{os.getpid()}.tmp")  # concurrent synths must not share it
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, path in ordered:
            info = zipfile.ZipInfo(name, date_time=FIXED_DATE_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = (0o100755 if _is_executable(path) else 0o100644) << 16
            info.create_system = 3  # unix, so the modes above are honoured
            archive.writestr(info, path.read_bytes())
    tmp.replace(destination)
    return Archive(destination, sha256_b64(destination))


def function_zip(*, functions_dir: Path, function: str, shared: Iterable[str], out_dir: Path) -> Archive:
    """Zip `functions/<function>/` as package `<function>` plus each shared package once."""
    source = functions_dir / function
    if not (source / "handler.py").is_file():
        raise FileNotFoundError(f"Lambda function {function!r} has no handler at {source / 'handler.py'}")
    entries = list(iter_tree(source, f"{function}/"))
    for package in shared:
        entries.extend(iter_tree(functions_dir / package, f"{package}/"))
    return write_zip(entries, out_dir / f"{function}.zip")


def _is_executable(path: Path) -> bool:
    return bool(path.stat().st_mode & 0o100) and path.suffix != ".py"


def sha256_b64(path: Path) -> str:
    """Terraform's `filebase64sha256` of a file."""
    return base64.b64encode(hashlib.sha256(path.read_bytes()).digest()).decode()

"""Build the dependencies layer for the Lambda platform from the locked `[lambda]` packages.

The layer is built with pip for manylinux x86_64 / CPython 3.11 from Pipfile.lock's exact
versions and hashes, trimmed of files Lambda never loads, and zipped reproducibly. The
result is cached under build/ by the hash of its inputs, so synth rebuilds only when the
lock changes.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from stacks.constructs.packaging import Archive, iter_tree, sha256_b64, write_zip

PLATFORM_ARGS = ("--platform", "manylinux2014_x86_64", "--implementation", "cp",
                 "--python-version", "3.11", "--only-binary=:all:")
# Present in the wheels but never imported by our functions: headers, Cython sources,
# bundled tests (pyarrow's and numpy's), the Flight and Gandiva engines, console scripts
# with machine shebangs.
_BUILD_FORMAT = "4"  # bump when the build itself changes, so cached zips are rebuilt
_TRIM_DIRS = ("bin", "pyarrow/include", "pyarrow/tests", "pyarrow/src")
# libarrow_substrait stays: libarrow_python links it (found by running the zip in localcloud).
_TRIM_GLOBS = ("pyarrow/*.pxd", "pyarrow/*.pyx", "pyarrow/**/*.h", "pyarrow/libarrow_flight*",
               "pyarrow/libarrow_python_flight*", "pyarrow/libgandiva*", "pyarrow/_flight*",
               "numpy/**/tests", "numpy/_core/include")


def locked_requirements(lock_file: Path, category: str = "lambda") -> str:
    """requirements.txt text (pinned, hashed) for one Pipfile.lock category."""
    packages = json.loads(lock_file.read_text())[category]
    lines = []
    for name in sorted(packages):
        entry = packages[name]
        hashes = " ".join(f"--hash={h}" for h in entry["hashes"])
        lines.append(f"{name}{entry['version']} {hashes}")
    return "\n".join(lines) + "\n"


def build_layer(*, lock_file: Path, build_dir: Path) -> Archive:
    """Return the layer zip for the current lock, building it once per lock content."""
    requirements = locked_requirements(lock_file)
    key = hashlib.sha256((requirements + " ".join(PLATFORM_ARGS) + _BUILD_FORMAT).encode()).hexdigest()[:16]
    destination = build_dir / "layers" / f"deps-{key}.zip"
    if not destination.exists():
        _install_and_zip(requirements, destination)
    return Archive(destination, sha256_b64(destination))


def _install_and_zip(requirements: str, destination: Path) -> None:
    work = destination.with_name(f"{destination.stem}.{os.getpid()}")  # concurrent synths must not share it
    shutil.rmtree(work, ignore_errors=True)
    target = work / "python"
    target.mkdir(parents=True)
    (work / "requirements.txt").write_text(requirements)
    command = [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-compile",
               "--require-hashes", "--target", str(target), *PLATFORM_ARGS, "-r", str(work / "requirements.txt")]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"building the Lambda layer failed:\n{result.stderr[-3000:]}")
    _trim(target)
    write_zip(iter_tree(target, "python/"), destination)
    shutil.rmtree(work)


def _trim(target: Path) -> None:
    # Console scripts are dropped; their RECORD lines carry the hash of a shebang naming this
    # machine's Python, which would make the layer differ from machine to machine.
    for record in target.glob("*.dist-info/RECORD"):
        lines = record.read_text().splitlines(keepends=True)
        record.write_text("".join(line for line in lines if not line.startswith("../../bin/")))
    for rel in _TRIM_DIRS:
        shutil.rmtree(target / rel, ignore_errors=True)
    for pattern in _TRIM_GLOBS:
        for path in sorted(target.glob(pattern)):
            if path.is_file():
                path.unlink()
            elif path.is_dir():  # not already gone with a matched folder above it
                shutil.rmtree(path)

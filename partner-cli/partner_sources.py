"""What the partner CLI distribution is made of: its source files, version and project metadata.

The sources are the Lambda functions' own (``../functions`` in the repository); an sdist carries
them under ``src/``. Only the pure modules go in: ``txnpipe/__init__.py``, ``txnpipe/cli/`` and
``txnpipe/domain/`` (never the AWS adapters beside them in ``txnpipe/``).
"""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
TOP_MODULES = ("txnpipe/__init__.py",)
PACKAGE_DIRS = ("txnpipe/cli", "txnpipe/domain")
VERSION_MODULE = "txnpipe/domain/version.py"


def source_root() -> Path:
    """``src/`` inside an unpacked sdist, else the repository's ``functions/``."""
    bundled = HERE / "src"
    return bundled if (bundled / "txnpipe").is_dir() else HERE.parent / "functions"


def module_files(root: Path) -> list[str]:
    """The packaged modules, as sorted POSIX paths relative to ``root``."""
    needed = [*TOP_MODULES, *(f"{package}/__init__.py" for package in PACKAGE_DIRS)]
    missing = [name for name in needed if not (root / name).is_file()]
    if missing:
        raise FileNotFoundError(f"partner CLI sources: {', '.join(missing)} missing under {root}")
    files = list(TOP_MODULES)
    for package in PACKAGE_DIRS:
        files.extend(path.relative_to(root).as_posix() for path in (root / package).glob("*.py"))
    return sorted(files)


def version(root: Path) -> str:
    """CONTRACT_VERSION, read from the version module's source (nothing is imported)."""
    tree = ast.parse((root / VERSION_MODULE).read_text(encoding="utf-8"))
    for node in tree.body:
        if not isinstance(node, ast.AnnAssign) or not isinstance(node.target, ast.Name):
            continue
        value = node.value.value if isinstance(node.value, ast.Constant) else None
        if node.target.id == "CONTRACT_VERSION" and isinstance(value, str):
            return value
    raise ValueError(f"no annotated CONTRACT_VERSION string constant in {root / VERSION_MODULE}")


def project() -> dict[str, Any]:
    """The ``[project]`` table of pyproject.toml."""
    with (HERE / "pyproject.toml").open("rb") as file:
        table: dict[str, Any] = tomllib.load(file)["project"]
    return table


def metadata(root: Path) -> str:
    """The core metadata file (METADATA / PKG-INFO) for this distribution."""
    table = project()
    lines = [
        "Metadata-Version: 2.1",
        f"Name: {table['name']}",
        f"Version: {version(root)}",
        f"Summary: {table['description']}",
        f"Requires-Python: {table['requires-python']}",
        *(f"Requires-Dist: {requirement}" for requirement in table["dependencies"]),
        "Description-Content-Type: text/markdown",
    ]
    return "\n".join(lines) + "\n\n" + (HERE / str(table["readme"])).read_text(encoding="utf-8")

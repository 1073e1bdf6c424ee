"""PEP 517 build backend of the partner CLI, standard library only (no build dependency to fetch).

``pip install ./partner-cli`` calls ``build_wheel``; ``make partner-cli`` runs this file
(``python3 partner-cli/build_backend.py build/partner-cli``). The wheel holds exactly the source
files ``partner_sources.module_files`` names, byte for byte, plus the dist-info files.
Both archives are reproducible: fixed timestamps and permissions, sorted entries.
"""

from __future__ import annotations

import base64
import hashlib
import io
import sys
import tarfile
import zipfile
from pathlib import Path
from typing import Any

import partner_sources

_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_SCRIPT_FILES = ("pyproject.toml", "README.md", "build_backend.py", "partner_sources.py")


def _names(root: Path) -> tuple[str, str]:
    """The normalized distribution name and the version."""
    return str(partner_sources.project()["name"]).replace("-", "_"), partner_sources.version(root)


def _record_line(name: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


def _dist_info(root: Path, dist_info: str) -> dict[str, bytes]:
    scripts = partner_sources.project()["scripts"]
    entry_points = "[console_scripts]\n" + "".join(f"{name} = {target}\n" for name, target in scripts.items())
    wheel = "Wheel-Version: 1.0\nGenerator: txnpipe build_backend\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    return {
        f"{dist_info}/METADATA": partner_sources.metadata(root).encode(),
        f"{dist_info}/WHEEL": wheel.encode(),
        f"{dist_info}/entry_points.txt": entry_points.encode(),
    }


def _write_zip(path: Path, entries: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)


def build_wheel(wheel_directory: str, config_settings: dict[str, Any] | None = None,
                metadata_directory: str | None = None) -> str:
    """PEP 517: build ``<name>-<version>-py3-none-any.whl`` into wheel_directory; return its file name."""
    root = partner_sources.source_root()
    name, version = _names(root)
    dist_info = f"{name}-{version}.dist-info"
    entries = {module: (root / module).read_bytes() for module in partner_sources.module_files(root)}
    entries.update(_dist_info(root, dist_info))
    record = [_record_line(entry, data) for entry, data in entries.items()] + [f"{dist_info}/RECORD,,"]
    entries[f"{dist_info}/RECORD"] = ("\n".join(record) + "\n").encode()
    filename = f"{name}-{version}-py3-none-any.whl"
    Path(wheel_directory).mkdir(parents=True, exist_ok=True)
    _write_zip(Path(wheel_directory) / filename, entries)
    return filename


def build_sdist(sdist_directory: str, config_settings: dict[str, Any] | None = None) -> str:
    """PEP 517: a self-contained sdist (the sources under ``src/``); return its file name."""
    root = partner_sources.source_root()
    name, version = _names(root)
    base = f"{name}-{version}"
    entries = {f"{base}/{script}": (partner_sources.HERE / script).read_bytes() for script in _SCRIPT_FILES}
    entries.update({f"{base}/src/{module}": (root / module).read_bytes() for module in partner_sources.module_files(root)})
    entries[f"{base}/PKG-INFO"] = partner_sources.metadata(root).encode()
    filename = f"{base}.tar.gz"
    Path(sdist_directory).mkdir(parents=True, exist_ok=True)
    with tarfile.open(Path(sdist_directory) / filename, "w:gz", format=tarfile.PAX_FORMAT) as archive:
        for entry, data in sorted(entries.items()):
            info = tarfile.TarInfo(entry)
            info.size, info.mode, info.mtime = len(data), 0o644, 0
            archive.addfile(info, io.BytesIO(data))
    return filename


def get_requires_for_build_wheel(config_settings: dict[str, Any] | None = None) -> list[str]:
    """PEP 517: nothing beyond the standard library."""
    return []


def get_requires_for_build_sdist(config_settings: dict[str, Any] | None = None) -> list[str]:
    """PEP 517: nothing beyond the standard library."""
    return []


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python3 partner-cli/build_backend.py OUT_DIR   (writes the wheel there)")
    print(Path(sys.argv[1]) / build_wheel(sys.argv[1]))

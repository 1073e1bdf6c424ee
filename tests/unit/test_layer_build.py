"""The dependencies layer build: locked requirements, and nothing machine-specific in the zip."""

from __future__ import annotations

import json
from pathlib import Path

from stacks.constructs.layer_build import _trim, locked_requirements


def test_requirements_are_the_locked_lambda_versions_with_hashes(tmp_path: Path) -> None:
    lock = tmp_path / "Pipfile.lock"
    lock.write_text(json.dumps({"lambda": {"pyarrow": {"version": "==20.0.0", "hashes": ["sha256:aa", "sha256:bb"]}}}))
    assert locked_requirements(lock) == "pyarrow==20.0.0 --hash=sha256:aa --hash=sha256:bb\n"


def test_console_scripts_and_their_record_lines_are_dropped(tmp_path: Path) -> None:
    # Given an installed package whose console script's shebang names this machine's Python
    (tmp_path / "bin").mkdir()
    (tmp_path / "bin" / "jp.py").write_text("#!/some/venv/bin/python\n")
    info = tmp_path / "jmespath-1.1.0.dist-info"
    info.mkdir()
    (info / "RECORD").write_text("../../bin/jp.py,sha256=machine,1706\njmespath/__init__.py,sha256=x,10\n")
    # When the layer is trimmed, Then neither the script nor its machine-specific hash remain
    _trim(tmp_path)
    assert not (tmp_path / "bin").exists()
    assert (info / "RECORD").read_text() == "jmespath/__init__.py,sha256=x,10\n"


def test_the_built_layer_imports_in_a_bare_interpreter_with_every_shared_library(tmp_path: Path) -> None:
    """What Lambda does with the layer: /opt/python on sys.path, nothing from this machine's site-packages."""
    import shutil
    import subprocess
    import sys
    import zipfile

    from stacks.constructs.layer_build import build_layer
    from stacks.paths import BUILD_DIR, ROOT

    archive = build_layer(lock_file=ROOT / "Pipfile.lock", build_dir=BUILD_DIR)
    zipfile.ZipFile(archive.path).extractall(tmp_path)
    code = ("import sys; sys.path.insert(0, sys.argv[1]); import pyarrow.parquet, pyarrow.csv, pyarrow.compute, "
            "aws_lambda_powertools.metrics, aws_xray_sdk; print(pyarrow.__version__)")
    result = subprocess.run([sys.executable, "-I", "-S", "-c", code, str(tmp_path / "python")],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "20.0.0"
    if shutil.which("ldd"):
        for library in (tmp_path / "python" / "pyarrow").glob("*.so*"):
            linked = subprocess.run(["ldd", str(library)], capture_output=True, text=True, check=False).stdout
            assert "not found" not in linked, f"{library.name}: {linked}"

"""The partner CLI distribution holds exactly the Lambda's own source files, and nothing that reaches AWS."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import tarfile
import tomllib
from email.parser import Parser
from pathlib import Path

import pytest

from txnpipe.domain.version import CONTRACT_VERSION

from .distribution import PARTNER_CLI, build_backend, make_wheel, partner_sources, wheel_entries
from .runs import FUNCTIONS, ROOT

AWS_OR_NETWORK = {"boto3", "botocore", "s3transfer", "aws_lambda_powertools", "aws_xray_sdk", "requests", "urllib3",
                  "socket", "ssl", "http", "urllib", "ftplib", "smtplib", "asyncio"}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_wheel(tmp_path_factory.mktemp("wheel"))


def modules_of(entries: dict[str, bytes]) -> dict[str, bytes]:
    return {name: data for name, data in entries.items() if not name.split("/")[0].endswith(".dist-info")}


def imports_at_run_time(source: bytes) -> set[str]:
    """Modules a source imports, leaving out ``if TYPE_CHECKING:`` blocks (never run)."""
    found: set[str] = set()
    pending: list[ast.AST] = [ast.parse(source)]
    while pending:
        node = pending.pop()
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING":
            pending.extend(node.orelse)
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module)
        pending.extend(ast.iter_child_nodes(node))
    return found


def test_the_wheel_holds_the_lambda_sources_byte_for_byte(wheel: Path) -> None:
    # Given the wheel partners get / Then each module in it is the file the Lambda zips are built from
    modules = modules_of(wheel_entries(wheel))
    assert modules == {name: (FUNCTIONS / name).read_bytes() for name in modules}


def test_the_wheel_holds_every_domain_and_cli_module_and_no_aws_adapter(wheel: Path) -> None:
    modules = set(modules_of(wheel_entries(wheel)))
    expected = {path.relative_to(FUNCTIONS).as_posix() for package in ("domain", "cli")
                for path in (FUNCTIONS / "txnpipe" / package).glob("*.py")}
    assert modules == expected | {"txnpipe/__init__.py"}


def test_packaged_modules_import_nothing_from_aws_or_the_network(wheel: Path) -> None:
    for name, source in modules_of(wheel_entries(wheel)).items():
        roots = {module.split(".")[0] for module in imports_at_run_time(source)}
        assert not roots & AWS_OR_NETWORK, name


def test_packaged_modules_need_only_the_standard_library_pyarrow_numpy_and_each_other(wheel: Path) -> None:
    modules = modules_of(wheel_entries(wheel))
    packaged = {name.removesuffix(".py").removesuffix("/__init__").replace("/", ".") for name in modules}
    for name, source in modules.items():
        for module in imports_at_run_time(source):
            root = module.split(".")[0]
            if root == "txnpipe":
                assert module in packaged, f"{name} imports {module}, which is not in the wheel"
            else:
                assert root in sys.stdlib_module_names or root in {"pyarrow", "numpy"}, f"{name} imports {module}"


def test_the_static_check_sees_a_forbidden_import() -> None:
    source = b"from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import typing_extensions\nimport boto3.session\n"
    assert imports_at_run_time(source) == {"typing", "boto3.session"}


def test_metadata_version_is_the_contract_version_and_the_command_is_txnpipe_validate(wheel: Path) -> None:
    entries = wheel_entries(wheel)
    dist_info = next(name.split("/")[0] for name in entries if name.endswith(".dist-info/METADATA"))
    metadata = Parser().parsestr(entries[f"{dist_info}/METADATA"].decode())
    assert metadata["Version"] == CONTRACT_VERSION
    assert "txnpipe-validate = txnpipe.cli:main" in entries[f"{dist_info}/entry_points.txt"].decode()


@pytest.mark.parametrize("package", ["pyarrow", "numpy"])
def test_dependency_floor_is_the_lambda_layer_pin(wheel: Path, package: str) -> None:
    # Given the Lambda layer's pinned version of a run-time dependency (Pipfile, category lambda)
    with (ROOT / "Pipfile").open("rb") as file:
        pin = tomllib.load(file)["lambda"][package]
    # Then the partner CLI accepts exactly that version as its lowest one
    metadata = Parser().parsestr(next(data for name, data in wheel_entries(wheel).items()
                                      if name.endswith("/METADATA")).decode())
    requirement = next(line for line in metadata.get_all("Requires-Dist") if line.startswith(package))
    assert f">={pin.removeprefix('==')}" in requirement.removeprefix(package).split(",")


def test_builds_are_reproducible(wheel: Path, tmp_path: Path) -> None:
    assert make_wheel(tmp_path).read_bytes() == wheel.read_bytes()


def test_the_sdist_builds_the_same_wheel_without_the_repository(wheel: Path, tmp_path: Path) -> None:
    # Given the sdist, unpacked away from the repository
    sdist = tmp_path / build_backend.build_sdist(str(tmp_path))
    with tarfile.open(sdist) as archive:
        archive.extractall(tmp_path / "unpacked", filter="data")
    unpacked = next((tmp_path / "unpacked").iterdir())
    # When its own backend builds a wheel
    out = tmp_path / "from-sdist"
    built = _run_backend(unpacked, out)
    # Then it is the wheel make partner-cli builds
    assert built.read_bytes() == wheel.read_bytes()


def test_missing_sources_are_named(tmp_path: Path) -> None:
    (tmp_path / "txnpipe" / "cli").mkdir(parents=True)
    (tmp_path / "txnpipe" / "__init__.py").write_text("")
    (tmp_path / "txnpipe" / "cli" / "__init__.py").write_text("")
    with pytest.raises(FileNotFoundError, match=re.escape("txnpipe/domain/__init__.py missing")):
        partner_sources.module_files(tmp_path)


def _run_backend(directory: Path, out: Path) -> Path:
    """``python3 build_backend.py OUT`` in an unpacked sdist; returns the wheel."""
    done = subprocess.run([sys.executable, str(directory / "build_backend.py"), str(out)], cwd=directory,
                          capture_output=True, text=True, timeout=60, check=True)
    return Path(done.stdout.strip())


def test_partner_cli_folder_holds_no_copy_of_the_sources() -> None:
    assert not list(PARTNER_CLI.rglob("txnpipe"))

"""The committed docs/contract/* are exactly what `make contract` generates, and each is valid in its format."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import frictionless
import yaml
from openapi_spec_validator import validate as validate_openapi

from contract import artifacts
from contract.fields import EXAMPLE
from contract.paths import OUT_DIR, ROOT
from txnpipe.domain import Transaction, validate_record
from txnpipe.domain.version import CONTRACT_VERSION


def test_the_committed_artifacts_are_what_generating_gives() -> None:
    # When `python -m contract check` runs (what `make contract` would rewrite)
    checked = subprocess.run([sys.executable, "-m", "contract", "check"], cwd=ROOT, capture_output=True, text=True,
                             check=False, timeout=60)
    # Then nothing differs
    assert (checked.returncode, checked.stderr) == (0, "")


def test_a_hand_edited_or_missing_artifact_is_reported(tmp_path: Path) -> None:
    # Given freshly generated artifacts, one edited by hand, one deleted, and a stray file
    artifacts.generate(tmp_path)
    edited, deleted = (tmp_path / "rules.json"), (tmp_path / "openapi.json")
    edited.write_text(edited.read_text().replace('"max_length": 256', '"max_length": 300'))
    deleted.unlink()
    (tmp_path / "old.json").write_text("{}")
    # Then the check names exactly those
    assert sorted(artifacts.stale(tmp_path)) == ["old.json", "openapi.json", "rules.json"]


def test_generating_twice_gives_the_same_bytes(tmp_path: Path) -> None:
    artifacts.generate(tmp_path / "a")
    assert artifacts.generate(tmp_path / "a") == []


def test_every_artifact_carries_the_contract_version() -> None:
    documents = {
        "transaction.schema.json": lambda d: d["x-contract-version"],
        "transactions.tableschema.json": lambda d: d["x-contract-version"],
        "openapi.json": lambda d: d["info"]["version"],
        "transactions.odcs.yaml": lambda d: d["version"],
        "rules.json": lambda d: d["contract_version"],
    }
    versions = {name: read(yaml.safe_load((OUT_DIR / name).read_text())) for name, read in documents.items()}
    assert set(versions.values()) == {CONTRACT_VERSION}
    assert f"contract version {CONTRACT_VERSION}" in (OUT_DIR / "README.md").read_text()


def test_the_example_passes_every_rule() -> None:
    assert isinstance(validate_record(EXAMPLE), Transaction)


def test_the_table_schema_is_a_valid_descriptor() -> None:
    report = frictionless.Schema.validate_descriptor(json.loads((OUT_DIR / "transactions.tableschema.json").read_text()))
    assert report.valid, report.flatten(["type", "note"])


def test_the_openapi_document_is_valid_openapi_3_1() -> None:
    document = json.loads((OUT_DIR / "openapi.json").read_text())
    validate_openapi(document)
    assert document["openapi"] == "3.1.0"


def test_the_odcs_document_has_the_required_fields_and_the_processed_columns() -> None:
    from txnpipe.domain.schema import PROCESSED_SCHEMA

    document = yaml.safe_load((OUT_DIR / "transactions.odcs.yaml").read_text())
    assert {"version", "apiVersion", "kind", "id", "status"} <= set(document)
    names = [p["name"] for p in document["schema"][0]["properties"] if not p.get("partitioned")]
    assert names == PROCESSED_SCHEMA.names

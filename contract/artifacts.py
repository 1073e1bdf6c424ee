"""The artifact files: how each is built and rendered, writing them, and checking the committed ones."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from contract import facts, json_schema, odcs, openapi, readme, table_schema
from contract.paths import OUT_DIR


@dataclass(frozen=True, kw_only=True)
class Artifact:
    """One generated file."""

    name: str
    what: str
    build: Callable[[], dict[str, Any]]

    def render(self) -> str:
        """The file's exact text (stable: same source, same bytes)."""
        document = self.build()
        if self.name.endswith(".yaml"):
            return str(yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=120))
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


ARTIFACTS = (
    Artifact(name=json_schema.FILE_NAME, what="JSON Schema 2020-12 of one transaction (JSON files, API body)",
             build=json_schema.transaction_schema),
    Artifact(name=table_schema.FILE_NAME, what="Frictionless Table Schema of the CSV layout",
             build=table_schema.table_schema),
    Artifact(name=openapi.FILE_NAME, what="OpenAPI 3.1 description of the partner API", build=openapi.openapi),
    Artifact(name=odcs.FILE_NAME, what="ODCS v3.1.0 data contract of the processed dataset (Parquet, Athena)",
             build=odcs.odcs),
    Artifact(name=facts.FILE_NAME, what="the rules as flat facts, compared by `make contract-diff`",
             build=facts.facts),
)


def rendered() -> dict[str, str]:
    """File name → text of every artifact, README.md included."""
    files = {artifact.name: artifact.render() for artifact in ARTIFACTS}
    files[readme.FILE_NAME] = readme.render([(a.name, a.what) for a in ARTIFACTS])
    return files


def generate(out_dir: Path = OUT_DIR) -> list[str]:
    """Write every artifact; return the names whose content changed."""
    out_dir.mkdir(parents=True, exist_ok=True)
    changed = []
    for name, text in rendered().items():
        path = out_dir / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            changed.append(name)
    return changed


def stale(out_dir: Path = OUT_DIR) -> list[str]:
    """Names of artifacts missing from `out_dir` or different from what generating gives; extra files too."""
    files = rendered()
    wrong = [name for name, text in files.items()
             if not (out_dir / name).exists() or (out_dir / name).read_text(encoding="utf-8") != text]
    extra = sorted(p.name for p in out_dir.glob("*") if p.name not in files) if out_dir.exists() else []
    return wrong + extra

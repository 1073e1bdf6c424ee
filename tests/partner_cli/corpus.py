"""Sample partner files covering every outcome, written into a directory on demand.

Rows come from the domain tests' value tables and the benchmark's seeded generator, so the
corpus grows with them; the expected reports are never written down here, they are whatever the
pipeline's own code (``make validate``'s command) answers.
"""

from __future__ import annotations

import json
from pathlib import Path

from bench.gen_data import generate
from tests.unit.domain.helpers import GOOD, HEADER, csv_line
from tests.unit.domain.test_fast_path_property import BAD_VALUES

NAMES = HEADER.split(",")


def _bad_records() -> list[dict[str, str]]:
    """One record per bad value of every field (ids T0001...)."""
    records = []
    for name, values in BAD_VALUES.items():
        for value in values:
            records.append({**GOOD, "transaction_id": f"T{len(records) + 1:04d}", name: value})
    return records


def _csv_quoted(record: dict[str, str]) -> str:
    return ",".join('"' + record[name].replace('"', '""') + '"' for name in NAMES)


def write_corpus(directory: Path, *, generated_bytes: int = 300_000) -> dict[str, Path]:
    """Write the sample files; returns them by short name (``valid_csv``, ``bad_rows_json`` ...)."""
    directory.mkdir(parents=True, exist_ok=True)
    bad = _bad_records()
    texts: dict[str, tuple[str, bytes]] = {
        "valid_csv": ("valid.csv", "\n".join([HEADER, csv_line("T1"), csv_line("T2", "7", "JPY")]).encode() + b"\n"),
        "bad_rows_csv": ("bad-rows.csv", "\n".join([HEADER, *(_csv_quoted(r) for r in bad)]).encode() + b"\n"),
        "bad_rows_json": ("bad-rows.json", json.dumps(bad, ensure_ascii=False).encode()),
        "json_lines": ("lines.json", "\n".join(json.dumps({**GOOD, "transaction_id": f"L{i}"}) for i in range(3)).encode()),
        "not_json": ("not-json.json", b"not json at all"),
        "wrong_header": ("wrong-header.csv", b"id,amount\n1,2\n"),
        "not_utf8": ("latin1.csv", "\n".join([HEADER, csv_line("T1", description="caf\xe9")]).encode("latin-1")),
        "empty_csv": ("empty.csv", b""),
    }
    files = {key: directory / name for key, (name, _) in texts.items()}
    for key, (_, data) in texts.items():
        files[key].write_bytes(data)
    files["generated_csv"] = directory / "generated.csv"
    generate(files["generated_csv"], generated_bytes)
    return files

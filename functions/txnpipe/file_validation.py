"""What validating a file returns: the one shape the file state machine keeps at `$.validation`.

validate_file returns it for a whole file or for one chunk of a large one (`chunk` set);
merge_chunks returns it for a chunked file, made from its chunks' results. The state machine
(`stacks/processing/definition.py`) builds its JSONPaths with `validation_path`, from the same field
names, so a field renamed here cannot leave a path behind.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any, Literal, get_args

from txnpipe.domain.results import RowError, Status

# Where the state machine stores the result (the ResultPath of every validating task).
RESULT_PATH = "$.validation"
Field = Literal[
    "status", "rows_total", "rows_valid", "rows_rejected", "reason", "chunk", "errors_sample",
    "processed_bucket", "processed_manifest_key", "processed_objects", "quarantine_bucket", "quarantine_key",
]


@dataclass(frozen=True, kw_only=True)
class FileValidation:
    """Counts, status and the objects written for one file (or one chunk of it)."""

    status: Status
    rows_total: int
    rows_valid: int
    rows_rejected: int
    reason: str | None  # why the whole file was rejected (status REJECTED), else None
    chunk: Mapping[str, Any] | None  # the chunk plan item validated, None for a whole file
    errors_sample: Sequence[RowError]  # the first rejected rows; the quarantine object holds all of them
    processed_bucket: str
    processed_manifest_key: str  # work-bucket key of the manifest listing the Parquet keys (txnpipe.manifests)
    processed_objects: int  # how many Parquet keys that manifest lists
    quarantine_bucket: str
    quarantine_key: str | None  # None when no row was rejected

    def to_state(self) -> dict[str, Any]:
        """The result as the handler returns it to Step Functions (JSON-ready)."""
        state = {f.name: getattr(self, f.name) for f in fields(self)}
        state["chunk"] = None if self.chunk is None else dict(self.chunk)
        state["errors_sample"] = [{"row": e.row, "reason": e.reason} for e in self.errors_sample]
        return state

    @classmethod
    def from_state(cls, state: Mapping[str, Any]) -> FileValidation:
        """Read back what `to_state` wrote (e.g. a chunk's result from the ResultWriter files)."""
        values = {f.name: state[f.name] for f in fields(cls)}
        values["errors_sample"] = tuple(RowError(e["row"], e["reason"]) for e in state["errors_sample"])
        return cls(**values)


def validation_path(field: Field) -> str:
    """The JSONPath of one field of the stored result, e.g. `$.validation.rows_total`."""
    return f"{RESULT_PATH}.{field}"


def _check_field_names() -> None:
    declared, defined = set(get_args(Field)), {f.name for f in fields(FileValidation)}
    if declared != defined:
        raise TypeError(f"Field and FileValidation disagree: {sorted(declared ^ defined)}")


_check_field_names()

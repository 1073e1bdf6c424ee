"""The reprocess request an operator's tool puts into a file pipeline execution, read by register_file.

`make reprocess` starts the file state machine with the object's "Object Created" event plus
`{"reprocess": {"by": <caller ARN>, "at": <UTC time>}}`. register_file then moves the terminal
file back to RECEIVED (instead of answering `duplicate`) and audits `FileReprocessed`; the rest of
the pipeline runs as for a new upload, and its keyed writes store every row once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

REPROCESS_KEY = "reprocess"
AUDIT_EVENT = "FileReprocessed"


@dataclass(frozen=True)
class Reprocess:
    """Who asked for the file to be run again, and when."""

    by: str
    at: str

    def to_event(self) -> dict[str, str]:
        """The value under `REPROCESS_KEY` in the execution input."""
        return {"by": self.by, "at": self.at}

    @classmethod
    def from_event(cls, event: dict[str, Any]) -> Reprocess | None:
        """The request in an execution input, None for an upload; a malformed one raises ValueError naming it."""
        value = event.get(REPROCESS_KEY)
        if value is None:
            return None
        if not isinstance(value, dict) or not all(isinstance(value.get(k), str) and value[k] for k in ("by", "at")):
            raise ValueError(f"{REPROCESS_KEY}: expected {{'by': str, 'at': str}}, got {value!r}")
        return cls(by=value["by"], at=value["at"])

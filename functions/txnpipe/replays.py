"""Replays and corrections across files: the first stored value of a transaction id wins.

A partner's transaction id names one transaction for good. When a later file (or the API) carries an
id that is already stored:
- the same content, as sent (`CONTENT_FIELDS`), is a *replay*: counted, and nothing is rewritten;
- different content is a *conflict*: the row is quarantined with a reason naming the file (and row)
  or the API request that stored the id first, and the stored transaction stays as it is;
- a row the same file stored before (a retried load, an operator's reprocess) is the file's own.

The content is compared field by field as sent, so a byte-identical resend is always a replay, and the
hash is computed the same way from a Parquet row, an API request and any stored item, old ones too.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

#: The fields a partner sends; what the pipeline derives from them (or stamps) is not content.
CONTENT_FIELDS = ("transaction_id", "account_id", "amount", "currency", "transaction_type", "timestamp",
                  "merchant_id", "description")


class Outcome(StrEnum):
    """What storing one valid row of a file came to."""

    STORED = "stored"  # new, written by this file
    OWN = "own"  # already stored by this same file (a retry or a reprocess): counted as stored
    REPLAY = "replay"  # already stored by another file or the API, with the same content
    CONFLICT = "conflict"  # already stored by another file or the API, with different content


def content_hash(item: Mapping[str, Any]) -> str:
    """SHA-256 of the content fields as sent; an absent optional field and an empty one are the same."""
    content = {name: str(item[name]) for name in CONTENT_FIELDS if item.get(name) not in (None, "")}
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def classify(item: Mapping[str, Any], stored: Mapping[str, Any] | None) -> Outcome:
    """The outcome of storing `item` (a row of file `item["file_id"]`) where `stored` is already kept."""
    if stored is None:
        return Outcome.STORED
    if stored.get("file_id") == item["file_id"] and stored.get("source_row") == item.get("source_row"):
        return Outcome.OWN
    return Outcome.REPLAY if content_hash(stored) == content_hash(item) else Outcome.CONFLICT


def conflict_reason(stored: Mapping[str, Any]) -> str:
    """The quarantine reason of a conflicting row: where the value that stays came from."""
    if stored.get("file_id"):
        origin = f"file {stored['file_id']}, row {stored.get('source_row', '?')}"
    else:
        origin = f"the API at {stored.get('ingested_at', '?')}"
    return f"transaction_id: already stored from {origin}, with different content; the stored transaction is kept"


@dataclass
class Tally:
    """Counts of one load, and the conflicting rows with their reasons (source row, reason, item)."""

    stored: int = 0
    replayed: int = 0
    conflicts: list[tuple[int, str, dict[str, Any]]] = field(default_factory=list)

    def count(self, outcome: Outcome, item: dict[str, Any], stored: Mapping[str, Any] | None) -> None:
        """Add one row's outcome."""
        if outcome in (Outcome.STORED, Outcome.OWN):
            self.stored += 1
        elif outcome is Outcome.REPLAY:
            self.replayed += 1
        else:
            self.conflicts.append((int(item.get("source_row", 0)), conflict_reason(stored or {}), item))

    def add(self, other: Tally) -> None:
        """Fold another tally (one writer's batch) into this one."""
        self.stored += other.stored
        self.replayed += other.replayed
        self.conflicts.extend(other.conflicts)

"""The pure arithmetic of `make load` (bench/load.py): percentiles, reconciliation checks, the RESULT line."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field


def percentile(values: Sequence[float], q: float) -> float:
    """The nearest-rank q-th percentile (0 < q <= 100) of `values`; ValueError when there are none."""
    if not values:
        raise ValueError("percentile of no values")
    if not 0 < q <= 100:
        raise ValueError(f"percentile q={q}: must be in (0, 100]")
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def race_counts(statuses: Iterable[int]) -> Counter[int]:
    """How many responses of each HTTP status a race got."""
    return Counter(statuses)


def race_same_ok(counts: Counter[int], clients: int) -> bool:
    """Same id, same body from `clients` threads: exactly one 201 and the rest 200, nothing else."""
    return counts[201] == 1 and counts[200] == clients - 1 and sum(counts.values()) == clients


def race_diff_ok(counts: Counter[int], clients: int) -> bool:
    """Same id, `clients` different bodies: exactly one 201 and the rest 409, nothing else."""
    return counts[201] == 1 and counts[409] == clients - 1 and sum(counts.values()) == clients


@dataclass(frozen=True, kw_only=True)
class FileRows:
    """One file's terminal record and what the transactions table holds for it."""

    key: str
    status: str
    rows_total: int
    rows_valid: int
    rows_rejected: int
    rows_stored: int  # the load's counts (first value wins: a valid row is stored, replayed or conflicting)
    rows_replayed: int
    rows_conflicting: int
    stored: int  # items in the transactions table carrying this file's file_id

    def problems(self) -> list[str]:
        """What does not add up for this file (empty when it reconciles)."""
        found = []
        if self.rows_total != self.rows_valid + self.rows_rejected:
            found.append(f"{self.key}: rows_total {self.rows_total} != rows_valid {self.rows_valid} "
                         f"+ rows_rejected {self.rows_rejected}")
        if self.rows_valid != self.rows_stored + self.rows_replayed + self.rows_conflicting:
            found.append(f"{self.key}: rows_valid {self.rows_valid} != stored {self.rows_stored} + replayed "
                         f"{self.rows_replayed} + conflicting {self.rows_conflicting}")
        if self.stored != self.rows_stored:
            found.append(f"{self.key}: {self.stored} item(s) stored for {self.rows_stored} counted as stored")
        return found


@dataclass(frozen=True, kw_only=True)
class ApiLedger:
    """What the API phase was told (accepted ids) against what the pipeline holds for the run's ids."""

    accepted_ids: frozenset[str]  # distinct ids answered 201 or 200
    accepted_requests: int  # responses 201 + 200
    stored_ids: frozenset[str]  # ids of the run in the transactions table (API items)
    archive_objects: int  # objects under the archive prefix for the run's ids
    events: int | None  # TransactionIngested events seen; None when they cannot be counted
    event_ids: frozenset[str] = field(default_factory=frozenset)

    def problems(self) -> list[str]:
        """What does not reconcile (empty when everything does)."""
        found = []
        if self.stored_ids != self.accepted_ids:
            found.append(f"transactions table: {len(self.stored_ids)} item(s) for {len(self.accepted_ids)} accepted id(s) "
                         f"(missing {sorted(self.accepted_ids - self.stored_ids)[:5]}, "
                         f"unexpected {sorted(self.stored_ids - self.accepted_ids)[:5]})")
        # The archive key is content-addressed (id + body hash): a replay rewrites the same object.
        if self.archive_objects != len(self.accepted_ids):
            found.append(f"archive: {self.archive_objects} object(s) for {len(self.accepted_ids)} stored transaction(s)")
        if self.events is not None:
            # Every 2xx announces (a replay announces again; consumers deduplicate on the id).
            if self.events != self.accepted_requests:
                found.append(f"TransactionIngested: {self.events} event(s) for {self.accepted_requests} accepted request(s)")
            if self.event_ids != self.accepted_ids:
                found.append(f"TransactionIngested: {len(self.event_ids)} distinct id(s) for "
                             f"{len(self.accepted_ids)} stored transaction(s)")
        return found


@dataclass(frozen=True, kw_only=True)
class Outcome:
    """The run's figures as the RESULT line reports them."""

    requests: int
    rps: float
    p50_ms: float
    p99_ms: float
    errors_5xx: int
    race_same: Counter[int]
    race_diff: Counter[int]
    files: int
    terminal: int
    reconciled: bool
    dlq_empty: bool

    def result_line(self) -> str:
        """The one machine-readable last line of the run."""
        return (f"RESULT requests={self.requests} rps={self.rps:.1f} p50_ms={self.p50_ms:.0f} p99_ms={self.p99_ms:.0f} "
                f"5xx={self.errors_5xx} race_same={self.race_same[201]}/{self.race_same[200]} "
                f"race_diff={self.race_diff[201]}/{self.race_diff[409]} files={self.files} terminal={self.terminal} "
                f"reconciled={str(self.reconciled).lower()} dlq_empty={str(self.dlq_empty).lower()}")

    def failures(self, *, race_clients: tuple[int, int]) -> list[str]:
        """Each failed goal, named; the run exits 0 only when this is empty."""
        found = []
        if self.errors_5xx:
            found.append(f"5xx: {self.errors_5xx} server error(s) (must be 0)")
        if not race_same_ok(self.race_same, race_clients[0]):
            found.append(f"race_same: {dict(self.race_same)} (want one 201 and {race_clients[0] - 1} x 200)")
        if not race_diff_ok(self.race_diff, race_clients[1]):
            found.append(f"race_diff: {dict(self.race_diff)} (want one 201 and {race_clients[1] - 1} x 409)")
        if self.terminal != self.files:
            found.append(f"files: {self.files - self.terminal} of {self.files} without a terminal status")
        if not self.reconciled:
            found.append("reconciled: false (see the reconciliation lines above)")
        if not self.dlq_empty:
            found.append("dlq_empty: false (see the DLQ depths above)")
        return found

"""First value wins: what storing a row comes to against what is stored (pure)."""

from __future__ import annotations

from typing import Any

from txnpipe.loading import conflict_lines, part_id
from txnpipe.replays import Outcome, Tally, classify, conflict_reason, content_hash

SENT = {"transaction_id": "t1", "account_id": "a1", "amount": "10.00", "currency": "USD", "transaction_type": "DEBIT",
        "timestamp": "2026-11-01T10:00:00Z", "merchant_id": "m1", "description": "coffee"}


def _row(file_id: str, row: int, **changes: Any) -> dict[str, Any]:
    return {**SENT, "file_id": file_id, "source_row": row, "ingested_at": "2026-11-01T10:05:00Z", **changes}


def test_a_new_id_is_stored() -> None:
    assert classify(_row("f-2", 5), None) is Outcome.STORED


def test_the_same_files_row_found_again_is_its_own() -> None:
    assert classify(_row("f-1", 2), _row("f-1", 2)) is Outcome.OWN


def test_the_same_content_from_another_file_is_a_replay() -> None:
    assert classify(_row("f-2", 9), _row("f-1", 2)) is Outcome.REPLAY


def test_what_the_pipeline_stamps_is_not_content() -> None:
    # Given the same transaction stored from the API, with other stamps
    stored = {**SENT, "ingested_at": "2026-10-30T08:00:00Z", "transaction_key": "p1#t1", "amount_minor": 1000}
    assert classify(_row("f-2", 9), stored) is Outcome.REPLAY


def test_another_amount_for_a_known_id_is_a_conflict() -> None:
    assert classify(_row("f-2", 9, amount="12.00"), _row("f-1", 2)) is Outcome.CONFLICT


def test_an_absent_optional_field_and_an_empty_one_hash_alike() -> None:
    without = {k: v for k, v in SENT.items() if k != "merchant_id"}
    assert content_hash(without) == content_hash({**SENT, "merchant_id": ""})


def test_a_changed_optional_field_changes_the_hash() -> None:
    assert content_hash(SENT) != content_hash({**SENT, "description": "tea"})


def test_the_reason_names_the_file_and_row_the_kept_value_came_from() -> None:
    assert conflict_reason(_row("f-1", 2)) == (
        "transaction_id: already stored from file f-1, row 2, with different content; the stored transaction is kept")


def test_the_reason_names_the_api_when_no_file_stored_it() -> None:
    stored = {**SENT, "ingested_at": "2026-10-30T08:00:00Z"}
    assert "already stored from the API at 2026-10-30T08:00:00Z" in conflict_reason(stored)


def test_a_tally_counts_own_rows_as_stored_and_keeps_conflicts_with_their_row() -> None:
    tally = Tally()
    for outcome, row in ((Outcome.STORED, 2), (Outcome.OWN, 3), (Outcome.REPLAY, 4), (Outcome.CONFLICT, 5)):
        tally.count(outcome, _row("f-2", row), _row("f-1", 7))
    assert (tally.stored, tally.replayed, [c[0] for c in tally.conflicts]) == (2, 1, [5])


def test_conflict_lines_are_json_lines_in_row_order_with_the_row_as_sent() -> None:
    tally = Tally()
    for row in (9, 4):
        tally.count(Outcome.CONFLICT, _row("f-2", row, amount="1.00"), _row("f-1", 2))
    lines = conflict_lines(tally).decode().splitlines()
    assert [line.split(",")[0] for line in lines] == ['{"row": 4', '{"row": 9']
    assert '"file_id"' not in lines[0]


def test_a_part_id_is_stable_and_short() -> None:
    assert part_id("transactions/a.parquet") == part_id("transactions/a.parquet") != part_id("transactions/b.parquet")
    assert len(part_id("transactions/a.parquet")) == 12

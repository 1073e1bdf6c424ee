"""The pure parts of `make load` (bench/load_figures.py): percentiles, reconciliation, the RESULT line."""

from __future__ import annotations

from collections import Counter

import pytest

from bench.load_figures import ApiLedger, FileRows, Outcome, percentile, race_diff_ok, race_same_ok

IDS = frozenset({"a", "b", "c"})


def test_percentile_is_nearest_rank() -> None:
    # Given the latencies 1..100 in shuffled order
    values = [float(v) for v in range(100, 0, -1)]
    # When the 50th and 99th percentiles are taken
    # Then they are the 50th and the 99th smallest values
    assert (percentile(values, 50), percentile(values, 99)) == (50.0, 99.0)


def test_percentile_of_one_value_is_that_value() -> None:
    assert percentile([7.0], 99) == 7.0


def test_percentile_of_nothing_is_an_error_naming_it() -> None:
    with pytest.raises(ValueError, match="no values"):
        percentile([], 50)


def test_races_want_one_winner_and_the_rest_replays_or_conflicts() -> None:
    # Given 16 same-body answers with one 201, and 8 different-body answers with one 201
    same, diff = Counter({201: 1, 200: 15}), Counter({201: 1, 409: 7})
    # Then both races are right, and two winners is not
    assert race_same_ok(same, 16) and race_diff_ok(diff, 8)
    assert not race_same_ok(Counter({201: 2, 200: 14}), 16)
    assert not race_diff_ok(Counter({201: 1, 409: 6, 500: 1}), 8)


def test_a_file_whose_counters_do_not_add_up_is_named() -> None:
    rows = FileRows(key="uploads/acme/x.csv", status="COMPLETED", rows_total=10, rows_valid=8, rows_rejected=1,
                    rows_stored=8, rows_replayed=0, rows_conflicting=0, stored=8)
    assert rows.problems() == ["uploads/acme/x.csv: rows_total 10 != rows_valid 8 + rows_rejected 1"]


def test_a_file_with_a_lost_row_is_named() -> None:
    rows = FileRows(key="k", status="COMPLETED_WITH_ERRORS", rows_total=10, rows_valid=8, rows_rejected=2,
                    rows_stored=8, rows_replayed=0, rows_conflicting=0, stored=7)
    assert rows.problems() == ["k: 7 item(s) stored for 8 counted as stored"]


def test_a_valid_row_the_load_did_not_count_is_named() -> None:
    rows = FileRows(key="k", status="COMPLETED", rows_total=8, rows_valid=8, rows_rejected=0,
                    rows_stored=5, rows_replayed=1, rows_conflicting=1, stored=5)
    assert rows.problems() == ["k: rows_valid 8 != stored 5 + replayed 1 + conflicting 1"]


def test_a_file_of_replays_and_conflicts_reconciles() -> None:
    rows = FileRows(key="k", status="COMPLETED_WITH_ERRORS", rows_total=8, rows_valid=8, rows_rejected=0,
                    rows_stored=5, rows_replayed=2, rows_conflicting=1, stored=5)
    assert rows.problems() == []


def test_an_api_ledger_that_matches_has_no_problems() -> None:
    # Given three stored ids, one replayed (4 accepted requests), three archive objects, four events
    ledger = ApiLedger(accepted_ids=IDS, accepted_requests=4, stored_ids=IDS, archive_objects=3, events=4, event_ids=IDS)
    assert ledger.problems() == []


def test_an_api_ledger_names_a_missing_item_an_extra_archive_and_a_lost_event() -> None:
    ledger = ApiLedger(accepted_ids=IDS, accepted_requests=3, stored_ids=frozenset({"a", "b"}), archive_objects=4,
                       events=2, event_ids=frozenset({"a", "b"}))
    problems = ledger.problems()
    assert [p.split(":")[0] for p in problems] == ["transactions table", "archive", "TransactionIngested",
                                                   "TransactionIngested"]
    assert "missing ['c']" in problems[0]


def test_uncountable_events_are_not_a_problem_of_their_own() -> None:
    ledger = ApiLedger(accepted_ids=IDS, accepted_requests=3, stored_ids=IDS, archive_objects=3, events=None)
    assert ledger.problems() == []


def _outcome(**changes: object) -> Outcome:
    fields: dict[str, object] = dict(requests=400, rps=12.345, p50_ms=101.4, p99_ms=880.6, errors_5xx=0,
                                     race_same=Counter({201: 1, 200: 15}), race_diff=Counter({201: 1, 409: 7}),
                                     files=31, terminal=31, reconciled=True, dlq_empty=True)
    return Outcome(**{**fields, **changes})  # type: ignore[arg-type]


def test_the_result_line_carries_every_figure() -> None:
    assert _outcome().result_line() == ("RESULT requests=400 rps=12.3 p50_ms=101 p99_ms=881 5xx=0 race_same=1/15 "
                                        "race_diff=1/7 files=31 terminal=31 reconciled=true dlq_empty=true")


def test_a_clean_run_has_no_failures() -> None:
    assert _outcome().failures(race_clients=(16, 8)) == []


def test_each_failed_goal_is_named() -> None:
    # Given a 5xx, a doubled winner, a file stuck, a lost row and a message in a DLQ
    outcome = _outcome(errors_5xx=2, race_diff=Counter({201: 2, 409: 6}), terminal=30, reconciled=False,
                       dlq_empty=False)
    # Then every one of them is named, in the RESULT line's order
    names = [f.split(":")[0] for f in outcome.failures(race_clients=(16, 8))]
    assert names == ["5xx", "race_diff", "files", "reconciled", "dlq_empty"]


def _file(key: str, stored: int, replayed: int) -> FileRows:
    return FileRows(key=key, status="COMPLETED", rows_total=25, rows_valid=25, rows_rejected=0, rows_stored=stored,
                    rows_replayed=replayed, rows_conflicting=0, stored=stored)


def test_a_resent_file_and_its_original_store_and_replay_each_row_once_between_them() -> None:
    from bench.load_files import RESENT, resent_pair

    # Given the original and its resend raced: the original stored 20 rows, the resend the other 5
    rows = [_file("orig", 20, 5), _file("json", 25, 0), _file("again", 5, 20)]
    line, problems = resent_pair(rows, ["clean CSV", "JSON", RESENT])
    assert (problems, line.endswith("25 stored + 25 replayed (want 25 + 25)")) == ([], True)


def test_a_row_stored_by_both_the_original_and_its_resend_is_named() -> None:
    from bench.load_files import RESENT, resent_pair

    _, problems = resent_pair([_file("orig", 25, 0), _file("again", 25, 0)], ["clean CSV", RESENT])
    assert problems == ["resent CSV (again): with the original, 50 stored + 0 replayed (want 25 + 25)"]

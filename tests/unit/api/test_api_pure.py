"""Pure API, anomaly and roll-up code: contract agreement, fingerprints, rule edges."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import jsonschema
import pytest

from stacks.api.models import TRANSACTION_SCHEMA
from txnpipe.aggregation.rollup import days_to_roll, rollup
from txnpipe.anomaly.rules import Settings, StoredTransaction, large_amount, velocity
from txnpipe.api.transactions import request_hash
from txnpipe.domain import SUPPORTED_CURRENCIES, validate_record

GOOD = {"transaction_id": "T-1", "account_id": "A1", "amount": "12.50", "currency": "USD",
        "transaction_type": "DEBIT", "timestamp": "2026-11-25T10:00:00Z"}


def test_the_gateway_model_knows_exactly_the_contracts_currencies() -> None:
    assert set(TRANSACTION_SCHEMA["properties"]["currency"]["enum"]) == set(SUPPORTED_CURRENCIES)


@pytest.mark.parametrize("record", [
    GOOD, {**GOOD, "amount": 7}, {**GOOD, "merchant_id": "", "description": None},
    {**GOOD, "timestamp": "2026-11-25T10:00:00.123+05:30"}, {**GOOD, "extra": "ignored"},
])
def test_what_the_function_accepts_the_gateway_accepts_too(record: dict[str, object]) -> None:
    assert not isinstance(validate_record(record), str)
    jsonschema.Draft4Validator(TRANSACTION_SCHEMA).validate(record)


def test_the_fingerprint_ignores_key_order_but_not_values() -> None:
    assert request_hash(GOOD) == request_hash(dict(reversed(list(GOOD.items()))))
    assert request_hash(GOOD) != request_hash({**GOOD, "amount": "12.51"})


def stored(tid: str, ts: str, amount: int = 100, currency: str = "USD") -> StoredTransaction:
    return StoredTransaction(transaction_key=f"p#{tid}", account_key="p#A", partner_id="p", transaction_id=tid,
                             currency=currency, amount_minor=amount, timestamp_utc=ts)


def test_the_threshold_itself_does_not_alert_one_minor_unit_more_does() -> None:
    assert large_amount(stored("t", "2026-01-01T00:00:00Z", 1_000_000), Settings()) is None
    assert large_amount(stored("t", "2026-01-01T00:00:00Z", 1_000_001), Settings()) is not None
    assert large_amount(stored("t", "2026-01-01T00:00:00Z", 1_500_001, "JPY"), Settings()) is not None


def test_velocity_counts_same_second_transactions_in_key_order() -> None:
    same = [stored(f"t{i}", "2026-01-01T00:00:00Z") for i in range(6)]
    history = [(t.timestamp_utc, t.transaction_key) for t in same]
    hits = [velocity(t, history, Settings()) for t in same]
    assert [h is not None for h in hits] == [False, False, False, False, True, False]


def test_a_quiet_gap_starts_a_new_burst() -> None:
    times = [f"2026-01-01T00:0{i}:00Z" for i in range(5)] + [f"2026-01-01T00:2{i}:00Z" for i in range(5)]
    txns = [stored(f"t{i}", ts) for i, ts in enumerate(times)]
    history = [(t.timestamp_utc, t.transaction_key) for t in txns]
    assert [t.transaction_id for t in txns if velocity(t, history, Settings())] == ["t4", "t9"]


def test_malformed_items_raise() -> None:
    with pytest.raises(ValueError):
        StoredTransaction.from_item({"transaction_key": "k", "account_key": "a", "partner_id": "p",
                                     "transaction_id": "t", "currency": "USD", "amount_minor": 1,
                                     "timestamp_utc": "2026-01-01T00:00:00+01:00"})


def test_days_to_roll_and_rollup_skip_other_days() -> None:
    assert days_to_roll(datetime(2026, 1, 2, 12, tzinfo=UTC)) == ["2026-01-02"]
    item = {"partner_id": "p", "account_id": "A", "currency": "USD", "transaction_type": "CREDIT",
            "amount_minor": 5, "signed_amount_minor": 5, "timestamp_utc": "2026-01-01T10:00:00Z"}
    assert rollup([item], ["2026-01-02"]) == {}
    totals = rollup([item, item], ["2026-01-01"])
    assert json.loads(json.dumps(totals[("account#p#A#USD", "2026-01-01")].__dict__))["credit_minor"] == 10

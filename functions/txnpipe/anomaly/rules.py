"""The rules a fraud analyst checks first; each hit carries the evidence that explains it.

* `LARGE_AMOUNT`: one transaction above a per-currency threshold (≈ 10,000 USD).
* `VELOCITY`: the N-th transaction of one account within a sliding window. Only the
  transaction that *crosses* the threshold alerts, so one burst is one alert, not N.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from types import MappingProxyType
from typing import Any, Final

# Thresholds in minor units (cents; yen for JPY), each roughly 10,000 USD.
LARGE_AMOUNT_MINOR: Final[Mapping[str, int]] = MappingProxyType({
    "USD": 1_000_000, "EUR": 1_000_000, "GBP": 800_000, "CHF": 1_000_000, "CAD": 1_400_000,
    "AUD": 1_500_000, "NZD": 1_700_000, "SGD": 1_400_000, "HKD": 8_000_000, "JPY": 1_500_000,
    "SEK": 10_000_000, "NOK": 10_000_000, "DKK": 7_000_000, "INR": 80_000_000, "BRL": 5_000_000,
    "MXN": 20_000_000, "ZAR": 20_000_000, "PLN": 4_000_000, "CZK": 25_000_000,
})  # fmt: skip
VELOCITY_COUNT: Final = 5
VELOCITY_WINDOW: Final = timedelta(minutes=5)
_STAMP = "%Y-%m-%dT%H:%M:%SZ"


@dataclass(frozen=True, kw_only=True)
class Settings:
    """Rule parameters (defaults above; the function may override them from its environment)."""

    large_amount_minor: Mapping[str, int] = field(default_factory=lambda: LARGE_AMOUNT_MINOR)
    velocity_count: int = VELOCITY_COUNT
    velocity_window: timedelta = VELOCITY_WINDOW


@dataclass(frozen=True, kw_only=True)
class Hit:
    """One rule that fired for one transaction, with the evidence an analyst needs."""

    rule: str
    transaction_key: str
    account_key: str
    partner_id: str
    summary: str
    evidence: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class StoredTransaction:
    """The fields of a stored transaction the rules read."""

    transaction_key: str
    account_key: str
    partner_id: str
    transaction_id: str
    currency: str
    amount_minor: int
    timestamp_utc: str

    @classmethod
    def from_item(cls, item: Mapping[str, Any]) -> StoredTransaction:
        """Read a (deserialized) transactions-table item; KeyError/ValueError when it is malformed."""
        return cls(
            transaction_key=str(item["transaction_key"]), account_key=str(item["account_key"]),
            partner_id=str(item["partner_id"]), transaction_id=str(item["transaction_id"]),
            currency=str(item["currency"]), amount_minor=int(item["amount_minor"]),
            timestamp_utc=_checked_stamp(str(item["timestamp_utc"])),
        )


def _checked_stamp(text: str) -> str:
    """A UTC `...Z` timestamp (fractional seconds allowed); ValueError on anything else."""
    if not text.endswith("Z"):
        raise ValueError(f"timestamp_utc {text!r} is not UTC")
    datetime.fromisoformat(text[:-1])
    return text


def large_amount(txn: StoredTransaction, settings: Settings) -> Hit | None:
    """Amount above the currency's threshold."""
    limit = settings.large_amount_minor.get(txn.currency)
    if limit is None or txn.amount_minor <= limit:
        return None
    return Hit(
        rule="LARGE_AMOUNT", transaction_key=txn.transaction_key, account_key=txn.account_key,
        partner_id=txn.partner_id,
        summary=f"{txn.transaction_id}: {txn.amount_minor} minor units of {txn.currency} exceeds {limit}",
        evidence={"amount_minor": txn.amount_minor, "currency": txn.currency, "threshold_minor": limit},
    )


def window_start(txn: StoredTransaction, settings: Settings, *, windows: int = 1) -> str:
    """Exclusive lower bound, `windows` velocity windows before `txn` (same text format)."""
    moment = datetime.fromisoformat(txn.timestamp_utc[:-1]).replace(tzinfo=UTC)
    return (moment - windows * settings.velocity_window).strftime(_STAMP)


def _shift(stamp: str, delta: timedelta) -> str:
    return (datetime.fromisoformat(stamp[:-1]) + delta).strftime(_STAMP)


def velocity(txn: StoredTransaction, history: Sequence[tuple[str, str]], settings: Settings) -> Hit | None:
    """`history`: (timestamp_utc, transaction_key) of the account within two windows before `txn`.

    A transaction is *busy* when at least `velocity_count` transactions (itself included) fall in
    the window ending at it; ordered by (timestamp, key). The rule fires for a busy transaction
    unless an earlier one inside its window was busy already: a burst alerts once, at its start.
    """
    me = (txn.timestamp_utc, txn.transaction_key)
    ordered = sorted({e for e in history if e <= me} | {me})

    def window_of(entry: tuple[str, str]) -> list[tuple[str, str]]:
        start = _shift(entry[0], -settings.velocity_window)
        return [e for e in ordered if start < e[0] and e <= entry]

    mine = window_of(me)
    if len(mine) < settings.velocity_count:
        return None
    if any(len(window_of(e)) >= settings.velocity_count for e in mine[:-1]):
        return None  # this burst has alerted already
    minutes = int(settings.velocity_window.total_seconds() // 60)
    return Hit(
        rule="VELOCITY", transaction_key=txn.transaction_key, account_key=txn.account_key,
        partner_id=txn.partner_id,
        summary=f"{txn.account_key}: {len(mine)} transactions within {minutes} minutes",
        evidence={"count": len(mine), "window_minutes": minutes, "transaction_keys": [key for _, key in mine]},
    )


def evaluate(txn: StoredTransaction, window: Sequence[tuple[str, str]], settings: Settings) -> list[Hit]:
    """Every rule that fires for `txn`."""
    return [hit for hit in (large_amount(txn, settings), velocity(txn, window, settings)) if hit is not None]

"""Roll transactions up per account, merchant and currency for one UTC day.

A run recomputes each day's totals from the stored transactions and *replaces* the stored
aggregates, so running twice over the same window gives the same numbers (never a double count).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from txnpipe.layout import AGGREGATES_PREFIX

DIMENSIONS = ("account", "merchant")
#: The attributes `rollup` reads: the aggregator's projection, and what DAY_INDEX projects.
ROLLUP_FIELDS = ("partner_id", "account_id", "merchant_id", "currency", "transaction_type", "amount_minor",
                 "signed_amount_minor", "timestamp_utc")
#: A run shortly after midnight also finishes the previous day (its last minutes).
LATE_ARRIVAL = timedelta(minutes=15)


@dataclass
class Totals:
    """Counts and sums (integer minor units) of one group on one day."""

    count: int = 0
    debit_minor: int = 0
    credit_minor: int = 0
    transfer_minor: int = 0
    net_minor: int = 0

    def add(self, transaction_type: str, amount_minor: int, signed_amount_minor: int) -> None:
        """Count one transaction."""
        self.count += 1
        self.net_minor += signed_amount_minor
        if transaction_type == "DEBIT":
            self.debit_minor += amount_minor
        elif transaction_type == "CREDIT":
            self.credit_minor += amount_minor
        else:
            self.transfer_minor += amount_minor


def days_to_roll(now: datetime) -> list[str]:
    """The UTC days a run at `now` recomputes: today, and yesterday just after midnight."""
    return sorted({(now - LATE_ARRIVAL).strftime("%Y-%m-%d"), now.strftime("%Y-%m-%d")})


def group_key(dimension: str, partner_id: str, value: str, currency: str) -> str:
    """`<dimension>#<partner_id>#<value>#<currency>`: ids are only unique per partner."""
    return f"{dimension}#{partner_id}#{value}#{currency}"


def rollup(items: Iterable[Mapping[str, Any]], days: Iterable[str]) -> dict[tuple[str, str], Totals]:
    """(group_key, day) → totals, over the items whose `timestamp_utc` falls on one of `days`."""
    wanted = set(days)
    out: dict[tuple[str, str], Totals] = {}
    for item in items:
        day = str(item["timestamp_utc"])[:10]
        if day not in wanted:
            continue
        values = {"account": item.get("account_id"), "merchant": item.get("merchant_id")}
        for dimension in DIMENSIONS:
            value = values[dimension]
            if not value:
                continue
            key = (group_key(dimension, str(item["partner_id"]), str(value), str(item["currency"])), day)
            out.setdefault(key, Totals()).add(
                str(item["transaction_type"]), int(item["amount_minor"]), int(item["signed_amount_minor"]),
            )
    return out


def aggregate_item(group: str, day: str, totals: Totals, *, as_of: str) -> dict[str, Any]:
    """The stored aggregate: keys, the group's parts, the totals and the run that computed them."""
    dimension, partner_id, value, currency = group.split("#", 3)
    return {
        "group_key": group, "day": day, "dimension": dimension, "partner_id": partner_id,
        f"{dimension}_id": value, "currency": currency, "as_of": as_of, **totals.__dict__,
    }


def aggregate_key(day: str) -> str:
    """Object key of one day's aggregates (Hive-style partition for Athena)."""
    return f"{AGGREGATES_PREFIX}/day={day}/totals.jsonl"


def day_lines(totals: Mapping[tuple[str, str], Totals], day: str, *, as_of: str) -> bytes:
    """One day's aggregates as JSON Lines, sorted by group (same input → same bytes)."""
    rows = [aggregate_item(group, d, value, as_of=as_of) for (group, d), value in sorted(totals.items()) if d == day]
    return "".join(json.dumps(row, sort_keys=True) + "\n" for row in rows).encode("utf-8")

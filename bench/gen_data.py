"""Deterministic generator of contract-conforming transaction CSV with a known set of bad rows."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

HEADER = "transaction_id,account_id,amount,currency,transaction_type,timestamp,merchant_id,description"
_CURRENCIES = ["USD", "EUR", "GBP", "JPY", "CHF", "CAD", "SEK"]
_TYPES = ["DEBIT", "CREDIT", "TRANSFER"]
_OFFSETS = ["Z", "+05:30", "-08:00", "+01:00", "Z"]
#: Kinds of bad rows and how each is produced from a good row's fields.
BAD_KINDS = (
    "bad_amount_sign", "amount_too_many_decimals", "bad_currency", "bad_type",
    "naive_timestamp", "invalid_date", "wrong_field_count", "duplicate_id", "bad_account",
)  # fmt: skip


@dataclass
class Generated:
    """What was written: row counts and the bad rows per kind."""

    rows: int = 0
    bad: Counter[str] = field(default_factory=Counter)
    bytes: int = 0


def _good(rng: random.Random, index: int) -> list[str]:
    currency = rng.choice(_CURRENCIES)
    cents = f"{rng.randint(0, 99_999)}.{rng.randint(1, 99):02d}"
    amount = str(rng.randint(1, 999_999)) if currency == "JPY" else cents
    day = rng.choice((24, 25, 25, 25))
    stamp = f"2026-11-{day:02d}T{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}"
    description = rng.choice(["Coffee", "Groceries, weekly", 'Book "Dune"', "Rent", "", "Fuel station 42"])
    if "," in description or '"' in description:
        description = '"' + description.replace('"', '""') + '"'
    return [
        f"TXN-{index:010d}", f"ACC-{rng.randint(1, 50_000):06d}", amount, currency,
        rng.choice(_TYPES), stamp + rng.choice(_OFFSETS), f"M{rng.randint(1, 9999)}", description,
    ]


def _spoil(fields: list[str], kind: str, previous_id: str) -> list[str]:
    spoiled = list(fields)
    if kind == "bad_amount_sign":
        spoiled[2] = "-" + ("100" if fields[3] == "JPY" else fields[2])
    elif kind == "amount_too_many_decimals":
        spoiled[2], spoiled[3] = "10.123", "USD"
    elif kind == "bad_currency":
        spoiled[3] = "usd"
    elif kind == "bad_type":
        spoiled[4] = "REFUND"
    elif kind == "naive_timestamp":
        spoiled[5] = "2026-11-02T10:00:00"
    elif kind == "invalid_date":
        spoiled[5] = "2026-02-30T10:00:00Z"
    elif kind == "wrong_field_count":
        spoiled = spoiled[:-1]
    elif kind == "duplicate_id":
        spoiled[0] = previous_id
    elif kind == "bad_account":
        spoiled[1] = "ACC 1"
    return spoiled


def generate(path: Path, size_bytes: int, bad_ratio: float = 0.005, seed: int = 20261125) -> Generated:
    """Write a CSV of about ``size_bytes`` to ``path`` (seeded, so reproducible)."""
    rng = random.Random(seed)
    result = Generated()
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write(HEADER + "\r\n")
        written = len(HEADER) + 2
        index = 0
        registered = ""
        lines: list[str] = []
        while written < size_bytes:
            index += 1
            fields = _good(rng, index)
            if index > 1 and rng.random() < bad_ratio:
                kind = rng.choice(BAD_KINDS)
                fields = _spoil(fields, kind, registered)
                result.bad[kind] += 1
            if len(fields) == 8:
                registered = fields[0]  # ids of rows with the right field count are registered
            line = ",".join(fields) + "\r\n"
            written += len(line.encode())
            lines.append(line)
            if len(lines) >= 10_000:
                handle.write("".join(lines))
                lines.clear()
        handle.write("".join(lines))
    result.rows = index
    result.bytes = written
    return result

"""Aggregator read benchmark: items read and read units per run against the table's history, day index vs full scan.

Run: ``.venv/bin/python bench/bench_aggregator.py [--rows 10000] [--today 1000] [--days 100]`` (or
``make bench-aggregator``). In-process moto (`moto.mock_aws`): a transactions table with the
stack's keys and indexes (stacks/storage/stack.py), seeded with `--rows` (1x) then `10 x --rows`
(10x) transactions spread over `--days` past days, plus the same `--today` rows of today. Each size
runs the aggregator's read path (txnpipe.aggregation.reads, what the handler calls) and the old
full-table Scan with a `timestamp_utc` filter, and checks that both give the same totals.
Per run it prints the items DynamoDB read (`ScannedCount`), the read units moto reports (a fixed
figure per request, not AWS's) and an estimate of AWS's: 0.5 RRU per 4 KB read (eventually
consistent), sizes by DynamoDB's rules (attribute names + values), per 1 MB page. Last line:

    RESULT rows_1x=<n> rows_10x=<n> read_1x=<items> read_10x=<items> ratio=<read_10x/read_1x>

(the day index's figures; flat means ratio ~1). Seeding writes moto's backend directly (the API
would take minutes for 100k items); the reads go through boto3 as the handler's do. moto's own
time is not a figure: it evaluates every item of the table for each Query and re-walks earlier
pages for each Scan page, so a run takes ~2 min, most of it inside moto.
"""

from __future__ import annotations

import argparse
import math
import os
import random
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "functions")]

import boto3  # noqa: E402
from boto3.dynamodb.conditions import Attr  # noqa: E402
from boto3.dynamodb.types import TypeSerializer  # noqa: E402
from moto import mock_aws  # noqa: E402
from moto.backends import get_backend  # noqa: E402
from moto.core import DEFAULT_ACCOUNT_ID  # noqa: E402

from stacks.storage.stack import TRANSACTIONS  # noqa: E402
from tests.fake_aws import FAKE_ENV, create_table  # noqa: E402
from txnpipe.aggregation.reads import ReadStats, day_transactions  # noqa: E402
from txnpipe.aggregation.rollup import ROLLUP_FIELDS, days_to_roll, rollup  # noqa: E402
from txnpipe.items import account_key, transaction_key, with_day_shard  # noqa: E402
from txnpipe.layout import DAY_SHARD_ATTRIBUTE  # noqa: E402

NOW = datetime(2026, 12, 2, 12, 5, tzinfo=UTC)
PAGE_BYTES = 1024 * 1024
RRU_BYTES = 4096
Reader = Callable[[Any, list[str], ReadStats], Iterator[dict[str, Any]]]


def full_scan(table: Any, days: list[str], stats: ReadStats) -> Iterator[dict[str, Any]]:
    """The aggregator's read before the day index: a Scan of the table filtered on `timestamp_utc`."""
    scan: dict[str, Any] = {
        "FilterExpression": Attr("timestamp_utc").between(f"{days[0]}T00:00:00Z", f"{days[-1]}T23:59:59Z"),
        "ProjectionExpression": ", ".join(ROLLUP_FIELDS), "ReturnConsumedCapacity": "TOTAL",
    }
    while True:
        page = table.scan(**scan)
        stats.count(page)
        yield from page["Items"]
        if "LastEvaluatedKey" not in page:
            return
        scan["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def transaction(rng: random.Random, n: int, day: str) -> dict[str, Any]:
    """One stored transaction as the file loader writes it (txnpipe.items), ~400 B."""
    partner, account, minor = rng.choice(["acme", "globex"]), f"ACC{rng.randint(1, 500):05d}", rng.randint(1, 10**7)
    kind = rng.choice(["DEBIT", "CREDIT", "TRANSFER"])
    stamp = f"{day}T{rng.randint(0, 11):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}Z"
    tid = f"TXN-{day}-{n:08d}"
    return with_day_shard({
        "transaction_key": transaction_key(partner, tid), "account_key": account_key(partner, account),
        "partner_id": partner, "transaction_id": tid, "account_id": account, "amount": f"{minor / 100:.2f}",
        "currency": rng.choice(["USD", "EUR", "GBP"]), "transaction_type": kind, "timestamp": stamp,
        "timestamp_utc": stamp, "merchant_id": f"M{rng.randint(1, 200):04d}", "description": "card payment",
        "amount_minor": minor, "signed_amount_minor": -minor if kind == "DEBIT" else minor,
        "file_id": f"{partner}-{day}", "source_row": n, "ingested_at": f"{day}T13:00:00Z",
    })


def value_bytes(value: Any) -> int:
    """DynamoDB's size of a string (UTF-8 bytes) or number (~1 byte per 2 significant digits + 1)."""
    if isinstance(value, str):
        return len(value.encode("utf-8"))
    digits = len(str(abs(Decimal(value))).replace(".", "").strip("0")) or 1
    return math.ceil(digits / 2) + 1


def item_bytes(item: dict[str, Any], names: set[str] | None = None) -> int:
    """Size of `item` (or of its attributes in `names`) by DynamoDB's rules."""
    return sum(len(k) + value_bytes(v) for k, v in item.items() if names is None or k in names)


def estimated_rru(sizes: list[int]) -> float:
    """0.5 RRU per 4 KB, each 1 MB page rounded up (eventually consistent)."""
    units, page = 0.0, 0
    for size in sizes:
        if page + size > PAGE_BYTES:
            units, page = units + math.ceil(page / RRU_BYTES) * 0.5, 0
        page += size
    return units + math.ceil(page / RRU_BYTES) * 0.5


def seed(history_rows: int, today_rows: int, past_days: int) -> list[dict[str, Any]]:
    """A new table (current moto account): `history_rows` over `past_days` days before today, `today_rows` today."""
    history, today, serializer = random.Random(7), random.Random(8), TypeSerializer()
    create_table(TRANSACTIONS)
    items = [transaction(history, n, (NOW - timedelta(days=1 + n % past_days)).strftime("%Y-%m-%d"))
             for n in range(history_rows)]
    items += [transaction(today, n, NOW.strftime("%Y-%m-%d")) for n in range(today_rows)]  # the same at every size
    backend = get_backend("dynamodb")[DEFAULT_ACCOUNT_ID]["us-east-1"]
    for item in items:
        backend.put_item("transactions", {k: serializer.serialize(v) for k, v in item.items()})
    return items


def measure(name: str, reader: Reader, items: list[dict[str, Any]], days: list[str]) -> tuple[ReadStats, Any]:
    """Run one read path over `days`; print and return what it read, and its totals."""
    stats, started = ReadStats(), time.perf_counter()
    totals = rollup(reader(boto3.resource("dynamodb").Table("transactions"), days, stats), days)
    seconds = time.perf_counter() - started
    if reader is full_scan:  # a Scan is billed for every item it reads
        sizes = [item_bytes(item) for item in items]
    else:  # an index Query reads the days' index entries: keys plus the projected fields
        names = {*ROLLUP_FIELDS, DAY_SHARD_ATTRIBUTE, "transaction_key"}
        sizes = [item_bytes(item, names) for item in items if item["timestamp_utc"][:10] in days]
    print(f"  {name:<10} requests={stats.requests:>4} items_read={stats.items_read:>7} "
          f"moto_units={stats.read_units:>7.1f} est_rru={estimated_rru(sizes):>9.1f} groups={len(totals):>5} "
          f"({seconds:.1f} s in moto)")
    return stats, totals


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=10_000, help="history rows at 1x (10x is ten times that)")
    parser.add_argument("--today", type=int, default=1_000, help="rows of today, the same at both sizes")
    parser.add_argument("--days", type=int, default=100, help="past days the history spreads over")
    args = parser.parse_args(argv)
    os.environ.update(FAKE_ENV)
    for key in ("AWS_ENDPOINT_URL", "AWS_PROFILE", "AWS_SESSION_TOKEN"):
        os.environ.pop(key, None)
    days = days_to_roll(NOW)
    read: dict[str, int] = {}
    for label, rows in (("1x", args.rows), ("10x", 10 * args.rows)):
        with mock_aws():  # a fresh in-memory account per size
            items = seed(rows, args.today, args.days)
            print(f"{label}: {rows:,} history rows over {args.days} days + {args.today:,} today ({days[0]})")
            index_stats, index_totals = measure("day index", day_transactions, items, days)
            scan_stats, scan_totals = measure("full scan", full_scan, items, days)
        if index_totals != scan_totals:
            raise SystemExit(f"{label}: the day index and the full scan disagree on the day's totals")
        read[label], read[f"scan_{label}"] = index_stats.items_read, scan_stats.items_read
    print(f"full scan: read_1x={read['scan_1x']} read_10x={read['scan_10x']} "
          f"ratio={read['scan_10x'] / read['scan_1x']:.2f}")
    print(f"RESULT rows_1x={args.rows} rows_10x={10 * args.rows} read_1x={read['1x']} read_10x={read['10x']} "
          f"ratio={read['10x'] / read['1x']:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

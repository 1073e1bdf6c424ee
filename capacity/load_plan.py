"""Arithmetic of loading rows into the on-demand `transactions` table within the file SLA (pure).

A file's load is one Distributed Map child per Parquet part (dates x chunks), at most
`map_concurrency` at once, each with `writers` threads (BatchGetItem, then TransactWriteItems of the new items); across files the
function's reserved concurrency caps the children. The table serves what its ceiling allows:
4,000 WRU/s when new, up to its quota once it has seen that peak (capacity.dynamodb_limits).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from capacity.dynamodb_limits import EVENTUAL_READ_RRU, PARTITION_WRU_PER_S, RRU_BYTES, TRANSACTIONAL_WRITE_FACTOR, WRU_BYTES


@dataclass(frozen=True, kw_only=True)
class LoadSettings:
    """What the synthesized stacks say about loading (capacity.settings reads it)."""

    writers: int  # writer threads per load_transactions invocation
    map_concurrency: int  # LoadTransactions MaxConcurrency
    reserved: int | None  # load_transactions reserved concurrency (None: unreserved pool)
    timeout_s: int  # load_transactions timeout
    indexes: int  # GSIs of the transactions table (each item is written to each)
    large_file_bytes: int
    chunk_bytes: int
    chunk_concurrency: int  # ValidateChunks MaxConcurrency
    load_retry: Sequence[Mapping[str, Any]]  # LoadPart's Retry list (ASL)


@dataclass(frozen=True, kw_only=True)
class Rates:
    """Measured or estimated rates (capacity/measurements.json)."""

    writer_items_per_s: float
    item_bytes: float
    csv_bytes_per_row: float
    validate_s_per_mb: float
    plan_s_per_mb: float
    merge_s_per_mb: float


@dataclass(frozen=True, kw_only=True)
class FileLoad:
    """One file: how it is cut, how fast it loads, how long it takes."""

    size_mb: float
    rows: int
    chunked: bool
    parts: int
    writers: int
    demand_items_per_s: float
    items_per_s: float
    validate_s: float
    load_s: float
    part_load_s: float  # one part's load: must stay inside load_transactions' timeout

    @property
    def total_s(self) -> float:
        """Validation, then the load (the parallel audit branch is shorter)."""
        return self.validate_s + self.load_s


def wru_per_item(item_bytes: float, indexes: int, *, transactional: bool) -> tuple[int, int]:
    """(base-table WRU, WRU including every GSI) per item written; a transaction writes the base table twice."""
    if item_bytes <= 0:
        raise ValueError(f"item_bytes must be > 0, got {item_bytes}")
    units = math.ceil(item_bytes / WRU_BYTES)
    base = units * (TRANSACTIONAL_WRITE_FACTOR if transactional else 1)
    return base, base + units * indexes


def rru_per_item(item_bytes: float) -> float:
    """RRU of the loader's eventually consistent look-up of one key, stored or not."""
    return EVENTUAL_READ_RRU * math.ceil(item_bytes / RRU_BYTES)


def rows_in(size_mb: float, rates: Rates) -> int:
    """Rows of a CSV file of `size_mb` MB at the measured bytes per row."""
    return int(size_mb * 1_000_000 / rates.csv_bytes_per_row)


def file_load(*, size_mb: float, dates: int, settings: LoadSettings, rates: Rates, table_wru_per_s: float) -> FileLoad:
    """Load one file of `size_mb` whose rows span `dates` days, against a table ceiling of `table_wru_per_s`."""
    if size_mb <= 0 or dates < 1:
        raise ValueError(f"need size_mb > 0 and dates >= 1, got {size_mb} MB, {dates} dates")
    chunked = size_mb * 1_000_000 > settings.large_file_bytes
    chunks = math.ceil(size_mb * 1_000_000 / settings.chunk_bytes) if chunked else 1
    parts, rows = chunks * dates, rows_in(size_mb, rates)
    writers = settings.writers * min(parts, settings.map_concurrency, settings.reserved or parts)
    demand = writers * rates.writer_items_per_s
    base_wru, _ = wru_per_item(rates.item_bytes, settings.indexes, transactional=True)
    rate = min(demand, table_wru_per_s / base_wru)
    per_part_rate = rate / min(parts, settings.map_concurrency, settings.reserved or parts)
    return FileLoad(size_mb=size_mb, rows=rows, chunked=chunked, parts=parts, writers=writers,
                    demand_items_per_s=demand, items_per_s=rate, validate_s=_validate_s(size_mb, chunks, settings, rates),
                    load_s=rows / rate, part_load_s=rows / parts / per_part_rate)


def _validate_s(size_mb: float, chunks: int, settings: LoadSettings, rates: Rates) -> float:
    if chunks == 1:
        return size_mb * rates.validate_s_per_mb
    waves = math.ceil(chunks / settings.chunk_concurrency)
    chunk_mb = size_mb / chunks
    return size_mb * rates.plan_s_per_mb + waves * chunk_mb * rates.validate_s_per_mb + size_mb * rates.merge_s_per_mb


def drain_s(*, rows: int, concurrent_parts: int, settings: LoadSettings, rates: Rates, table_wru_per_s: float) -> float:
    """Seconds to write `rows` when `concurrent_parts` loads run at once (a burst of files)."""
    children = min(concurrent_parts, settings.reserved or concurrent_parts)
    base_wru, _ = wru_per_item(rates.item_bytes, settings.indexes, transactional=True)
    rate = min(children * settings.writers * rates.writer_items_per_s, table_wru_per_s / base_wru)
    return rows / rate


def hot_key_items_per_s(share: float) -> float:
    """Items/s a load can sustain when `share` of its rows carry one GSI key (one account): one partition's WRU/s."""
    if not 0 < share <= 1:
        raise ValueError(f"share must be in (0, 1], got {share}")
    return PARTITION_WRU_PER_S / share


def day_index_wru_per_s(shards: int) -> float:
    """WRU/s one UTC day's writes can reach in the aggregator's day index: one partition per write shard."""
    if shards < 1:
        raise ValueError(f"shards must be >= 1, got {shards}")
    return shards * PARTITION_WRU_PER_S


def step_retry_wait_s(retry: Sequence[Mapping[str, Any]], error: str) -> float:
    """Longest total wait Step Functions' Retry list gives `error` (before jitter shortens it)."""
    for rule in retry:
        if error in rule["ErrorEquals"] or "States.ALL" in rule["ErrorEquals"]:
            interval, rate = float(rule.get("IntervalSeconds", 1)), float(rule.get("BackoffRate", 2.0))
            cap = float(rule.get("MaxDelaySeconds", math.inf))
            return sum(min(interval * rate ** k, cap) for k in range(int(rule.get("MaxAttempts", 3))))
    return 0.0


def sdk_retry_wait_s(max_attempts: int, base_s: float, growth: float) -> float:
    """Total backoff botocore's legacy mode sleeps over its retries of one throttled call."""
    return sum(base_s * growth ** k for k in range(max_attempts - 1))

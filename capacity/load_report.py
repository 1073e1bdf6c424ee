"""Text of the load plan (`make load-plan`): every figure from the synthesized stacks and the measurements."""

from __future__ import annotations

from capacity import dynamodb_limits as ddb
from capacity.facts import Measurements
from capacity.load_plan import (
    FileLoad,
    LoadSettings,
    Rates,
    day_index_wru_per_s,
    drain_s,
    file_load,
    hot_key_items_per_s,
    rows_in,
    sdk_retry_wait_s,
    step_retry_wait_s,
    wru_per_item,
)
from capacity.settings import load_settings, rates
from capacity.synthesized import Synthesized
from txnpipe.layout import DAY_INDEX, DAY_SHARDS
from txnpipe.sla import SLA

SLA_S = SLA.total_seconds()
CEILINGS = (("new table", ddb.NEW_TABLE_WRU_PER_S), ("warmed to quota", ddb.TABLE_QUOTA_WRU_PER_S))


def _file_line(label: str, f: FileLoad, timeout_s: int) -> str:
    verdict = "within" if f.total_s <= SLA_S and f.part_load_s <= timeout_s else "BREAKS"
    return (f"  {label:<16} {f.parts:>4} parts, {f.writers:>3} writers, {f.items_per_s:>8,.0f} items/s: "
            f"validate {f.validate_s:6.1f} s + load {f.load_s:7.1f} s = {f.total_s / 60:5.1f} min; "
            f"one part {f.part_load_s:6.1f} s (timeout {timeout_s} s) -> {verdict} SLA")


def _files(s: LoadSettings, r: Rates, mb: float, dates: int) -> list[str]:
    out = [f"{mb:g} MB file, {rows_in(mb, r):,} rows over {dates} date(s):"]
    out += [_file_line(name, file_load(size_mb=mb, dates=dates, settings=s, rates=r, table_wru_per_s=c), s.timeout_s)
            for name, c in CEILINGS]
    return out


def _daily(s: LoadSettings, r: Rates, rows_per_day: int) -> list[str]:
    _, total = wru_per_item(r.item_bytes, s.indexes, transactional=True)
    per_file = rows_in(100, r)
    files = -(-rows_per_day // per_file)
    out = [f"{rows_per_day:,} rows a day = {rows_per_day * total:,} WRU (table + {s.indexes} GSI), "
           f"{rows_per_day // ddb.loader_batch_items():,} BatchGetItem + TransactWriteItems calls; as {files} files of 100 MB:",
           f"  spread over the day: average {rows_per_day / 86_400:,.0f} items/s; each file alone loads as above"]
    for name, ceiling in CEILINGS:
        t = drain_s(rows=rows_per_day, concurrent_parts=files, settings=s, rates=r, table_wru_per_s=ceiling)
        # Every file's single part loads for the whole drain at its share of the rate: it must fit the timeout too.
        verdict = "within" if t <= min(SLA_S, s.timeout_s) else "BREAKS"
        out.append(f"  all {files} at once, {name} ({ceiling:,} WRU/s): {t / 60:5.1f} min -> {verdict} SLA"
                   f" (reserved {s.reserved} loads x {s.writers} writers)")
    return out


def _warm_advice(wru_per_s: float) -> str:
    if ddb.PROVIDER_SUPPORTS_WARM_THROUGHPUT:
        return f"set warm_throughput write_units_per_second = {wru_per_s:,.0f} on the table and its GSI"
    return (f"the pinned provider (hashicorp/aws 5.100.0) has no warm_throughput, so pre-warm the table and its GSI "
            f"to {wru_per_s:,.0f} WRU/s once, outside terraform (UpdateTable WarmThroughput), before the first bulk day")


def load_plan_text(synth: Synthesized, m: Measurements, *, rows_per_day: int = 10_000_000) -> list[str]:
    """The whole load plan as lines."""
    s, r = load_settings(synth), rates(m)
    base, total = wru_per_item(r.item_bytes, s.indexes, transactional=True)
    table = synth.table("transactions")
    demand = (s.reserved or s.map_concurrency) * s.writers * r.writer_items_per_s  # items/s
    peak_items = min(demand, ddb.TABLE_QUOTA_WRU_PER_S / base)  # what the table's quota lets through
    attempts, base_delay, growth = ddb.botocore_dynamodb_retry()
    resend_attempts, resend_wait_s = ddb.loader_backoff_wait_s()
    out = [f"workspace {synth.workspace}: transactions table {table.billing_mode}, {len(table.indexes)} GSI, "
           f"warm_throughput {table.warm_throughput or 'not set'}",
           f"synthesized: {s.writers} writers per load_transactions, LoadTransactions MaxConcurrency {s.map_concurrency}, "
           f"reserved concurrency {s.reserved}, timeout {s.timeout_s} s; large file > {s.large_file_bytes:,} B, "
           f"chunks {s.chunk_bytes:,} B, ValidateChunks MaxConcurrency {s.chunk_concurrency}",
           f"rates: {r.writer_items_per_s:g} items/s per writer, {r.item_bytes:g} B per item -> {base} WRU "
           f"(+{total - base} GSI), validate {r.validate_s_per_mb:g} s/MB; SLA {SLA_S / 60:g} min", ""]
    out += _files(s, r, 100, 1) + _files(s, r, 1000, 1) + [""] + _daily(s, r, rows_per_day) + [""]
    out += [f"hot key: if 10 % of a load's rows share one account, the {table.indexes[0]} partition caps it at "
            f"{hot_key_items_per_s(0.1):,.0f} items/s (GSI back-pressure throttles the table)",
            f"warm throughput: the account's loads can demand {demand * base:,.0f} WRU/s ({s.reserved} x {s.writers} x "
            f"{r.writer_items_per_s:g} items/s x {base} WRU); "
            f"{_warm_advice(min(demand * base, ddb.TABLE_QUOTA_WRU_PER_S))}",
            f"day index: a bulk day's writes spread over {DAY_SHARDS} shards x {ddb.PARTITION_WRU_PER_S:,} WRU/s = "
            f"{day_index_wru_per_s(DAY_SHARDS):,.0f} WRU/s against the loads' peak "
            f"{peak_items:,.0f} WRU/s, one per item ({DAY_INDEX})",
            f"retries: the loader reads UnprocessedKeys again and re-sends throttled transactions after full-jitter "
            f"waits ({resend_attempts} attempts, up to {resend_wait_s:.1f} s per call); botocore (legacy "
            f"mode) retries a throttled call {attempts - 1} times, {base_delay * 1000:g} ms x{growth:g}, "
            f"{sdk_retry_wait_s(attempts, base_delay, growth):.1f} s in all; then TransientError -> LoadPart Retry "
            f"waits up to {step_retry_wait_s(s.load_retry, 'TransientError'):.0f} s "
            f"(Lambda throttles: {step_retry_wait_s(s.load_retry, 'Lambda.TooManyRequestsException'):.0f} s)"]
    return out

"""The measurements of bench_data.py, each run inside a fresh (pinned) child process."""

from __future__ import annotations

import cProfile
import csv
import io
import os
import pstats
import resource
import tempfile
import time
from pathlib import Path

MODES = ("process_file", "arrow_read", "csv_reader")


def _process_file(path: Path, profile: bool) -> dict[str, object]:
    from txnpipe.domain.files import process_file

    profiler = cProfile.Profile() if profile else None
    with tempfile.TemporaryDirectory() as out, path.open("rb") as stream:
        start = time.perf_counter()
        if profiler:
            profiler.enable()
        result = process_file(stream, fmt="csv", partner_id="bench", file_id="bench",
                              ingested_at="2026-11-25T00:00:00Z", out_dir=Path(out))
        seconds = time.perf_counter() - start
        if profiler:
            profiler.disable()
            text = io.StringIO()
            stats = pstats.Stats(profiler, stream=text).sort_stats("cumulative")
            stats.print_stats(r"csv_arrow|sinks\.py|rowwise|parquet/core|_csv\.pyx", 22)
            print(text.getvalue())
        parquet = sum((Path(out) / p).stat().st_size for p in result.processed_files)
    return {"seconds": seconds, "rows_total": result.rows_total, "rows_valid": result.rows_valid,
            "rows_rejected": result.rows_rejected, "status": result.status, "parquet_bytes": parquet}


def _arrow_read(path: Path) -> dict[str, object]:
    """The floor: Arrow's streaming CSV read, every column a string, as process_file reads."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    start = time.perf_counter()
    names = path.open(encoding="utf-8").readline().strip().split(",")
    reader = pacsv.open_csv(
        path, read_options=pacsv.ReadOptions(use_threads=False, block_size=4 << 20),
        parse_options=pacsv.ParseOptions(newlines_in_values=True, invalid_row_handler=lambda _: "skip"),
        convert_options=pacsv.ConvertOptions(column_types={n: pa.string() for n in names},
                                             strings_can_be_null=False, quoted_strings_can_be_null=False),
    )
    rows = sum(batch.num_rows for batch in reader)
    return {"seconds": time.perf_counter() - start, "records": rows}


def _csv_reader(path: Path) -> dict[str, object]:
    start = time.perf_counter()
    with path.open(newline="", encoding="utf-8") as handle:
        rows = sum(1 for _ in csv.reader(handle))
    return {"seconds": time.perf_counter() - start, "records": rows}


def run_mode(mode: str, path: Path, *, cpus: int, profile: bool) -> dict[str, object]:
    """Pin this process to ``cpus`` CPUs, run one measurement, return its figures."""
    os.sched_setaffinity(0, set(range(cpus)))
    cpu_start = time.process_time()
    if mode == "process_file":
        extra = _process_file(path, profile)
    elif mode == "arrow_read":
        extra = _arrow_read(path)
    else:
        extra = _csv_reader(path)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {"mode": mode, "cpu_seconds": time.process_time() - cpu_start,
            "rss_mb": usage.ru_maxrss / 1024, **extra}

"""Where process_file's CPU time goes: exclusive CPU seconds per stage, on one CPU (no overlap).

Run: ``.venv/bin/python bench/bench_stages.py [--size-mb 100]`` (uses bench_data's seeded file).
Each stage is a function of the data plane wrapped with a timer; a stage's time excludes the
stages it calls (the UTF-8 check runs inside the Arrow parse, the Parquet write inside the
hand-off to the sink), so the rows add up to the total. cProfile is not used: it inflates
loops that call C functions per row.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "functions"))
sys.path.insert(0, str(ROOT / "bench"))


class Stages:
    """Exclusive CPU time per label, for nested timed calls on one thread."""

    def __init__(self, clock: Callable[[], float] = time.process_time) -> None:
        self.seconds: Counter[str] = Counter()
        self._clock = clock
        self._stack: list[list[float]] = []  # [start, time spent in children]

    def timed(self, label: str, function: Callable[..., Any]) -> Callable[..., Any]:
        """``function`` with its exclusive CPU time added to ``label``."""
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            self._stack.append([self._clock(), 0.0])
            try:
                return function(*args, **kwargs)
            finally:
                start, children = self._stack.pop()
                spent = self._clock() - start
                self.seconds[label] += spent - children
                if self._stack:
                    self._stack[-1][1] += spent
        return wrapper

    def timed_iterator(self, label: str, items: Iterator[Any]) -> Iterator[Any]:
        """``items`` with the time of producing each item added to ``label``."""
        step = self.timed(label, lambda: next(items, StopIteration))
        while (item := step()) is not StopIteration:
            yield item


def _instrument(stages: Stages) -> None:
    import pyarrow.csv as pacsv

    from txnpipe.domain import (
        csv_arrow,
        csv_arrow_batch,
        csv_arrow_checks,
        csv_arrow_ids,
        csv_arrow_utf8,
        prefetch,
        sinks,
    )

    prefetch.spare_cpu = lambda: False  # one thread: stages do not overlap
    open_csv = stages.timed("Arrow CSV parse", pacsv.open_csv)  # it parses the first block
    pacsv.open_csv = lambda *a, **k: stages.timed_iterator("Arrow CSV parse", iter(open_csv(*a, **k)))
    csv_arrow_utf8._check = stages.timed("UTF-8 check of the stream", csv_arrow_utf8._check)
    for name, label in [("timestamp_mask", "checks: timestamps"), ("minor_units", "checks: minor units"),
                        ("amount_mask", "checks: amount text"), ("identifier_mask", "checks: identifiers"),
                        ("currency_digits", "checks: currency"), ("hashed_ids", "id hashes")]:
        setattr(csv_arrow_checks, name, stages.timed(label, getattr(csv_arrow_checks, name)))
    csv_arrow.check_batch = stages.timed("checks: the rest (types, masks)", csv_arrow.check_batch)
    csv_arrow.RowNumbers.take = stages.timed("row numbers", csv_arrow.RowNumbers.take)
    index = csv_arrow_ids.DuplicateIndex
    index.register = stages.timed("duplicate-id index", index.register)
    pipeline = csv_arrow_batch.BatchPipeline
    pipeline._judge = stages.timed("row-wise judgement of suspects + quarantine", pipeline._judge)
    pipeline._write = stages.timed("derived columns + split by date", pipeline._write)
    sinks.ProcessedSink._write = stages.timed("Parquet encode + snappy", sinks.ProcessedSink._write)


def main() -> int:
    """Print each stage's exclusive CPU seconds for one process_file run of the bench file."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size-mb", type=int, default=100)
    args = parser.parse_args()
    from bench_data import _dataset

    path, meta = _dataset(ROOT / "bench" / "out", args.size_mb)
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    stages = Stages()
    _instrument(stages)
    from txnpipe.domain.files import process_file

    with tempfile.TemporaryDirectory() as out, path.open("rb") as stream:
        start = time.process_time()
        result = process_file(stream, fmt="csv", partner_id="bench", file_id="bench",
                              ingested_at="2026-11-25T00:00:00Z", out_dir=Path(out))
        total = time.process_time() - start
    assert result.rows_rejected == meta["bad"], (result.rows_rejected, meta["bad"])
    print(f"{path.name}: {result.rows_total} rows, {result.rows_rejected} rejected; one CPU, CPU seconds")
    for label, seconds in stages.seconds.most_common():
        print(f"  {label:<48}{seconds:>6.3f}")
    print(f"  {'other (process_file, sinks, result)':<48}{total - sum(stages.seconds.values()):>6.3f}")
    print(f"  {'total':<48}{total:>6.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

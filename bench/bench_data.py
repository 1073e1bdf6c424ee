"""Data-plane benchmark: process_file against the Arrow-read floor of the same run, 100 MB CSV.

Run: ``.venv/bin/python bench/bench_data.py [--size-mb 100] [--cpus 1] [--repeat 3] [--profile]``
Each measurement runs in a fresh subprocess pinned to the first ``--cpus`` CPUs; peak RSS is
that subprocess's ``ru_maxrss``. process_file and the floors are interleaved ``--repeat``
times and the fastest of each is kept (the least disturbed by other load on a shared machine).
Goal: process_file >= 0.4x the Arrow read of the same run (0.25x is the least accepted), peak
RSS <= 512 MB, every generated bad row rejected. Ends with one ``RESULT`` line; exits 1 only
below what is accepted.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_modes import MODES, run_mode

ROOT = Path(__file__).resolve().parents[1]
GOAL_RATIO, MIN_RATIO, MAX_RSS_MB = 0.4, 0.25, 512.0
LABELS = {"process_file": "process_file (validate+transform+Parquet)",
          "csv_reader": "floor: csv.reader parse only", "arrow_read": "floor: Arrow CSV read only"}


def _measure(mode: str, path: Path, cpus: int, profile: bool) -> dict[str, object]:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "functions"))
    command = [sys.executable, __file__, "--child", mode, str(path), "--cpus", str(cpus)]
    done = subprocess.run([*command, *(["--profile"] if profile else [])], env=env,
                          capture_output=True, text=True, check=True)
    lines = done.stdout.splitlines()
    if profile:
        print("\n".join(lines[:-1]))
    result: dict[str, object] = json.loads(lines[-1])
    return result


def _dataset(out: Path, size_mb: int) -> tuple[Path, dict[str, object]]:
    from gen_data import generate

    path = out / f"transactions_{size_mb}mb.csv"
    meta_path = path.with_suffix(".meta.json")
    if path.exists() and meta_path.exists():
        return path, json.loads(meta_path.read_text())
    made = generate(path, size_mb * 1_000_000)
    meta = {"rows": made.rows, "bad": sum(made.bad.values()), "bad_by_kind": dict(made.bad), "bytes": made.bytes}
    meta_path.write_text(json.dumps(meta, indent=1))
    return path, meta


def _best(runs: list[dict[str, object]], mode: str) -> dict[str, object]:
    return min((run for run in runs if run["mode"] == mode), key=lambda run: float(str(run["seconds"])))


def _table(runs: list[dict[str, object]], size: int) -> None:
    print(f"{'measurement (fastest of the repeats)':<44}{'seconds':>9}{'MB/s':>9}{'CPU s':>8}{'peak RSS MB':>13}")
    for mode in MODES:
        item = _best(runs, mode)
        seconds, cpu = float(str(item["seconds"])), float(str(item["cpu_seconds"]))
        print(f"{LABELS[mode]:<44}{seconds:>9.2f}{size / seconds / 1e6:>9.1f}{cpu:>8.2f}"
              f"{float(str(item['rss_mb'])):>13.0f}")
    spread = [f"{float(str(run['seconds'])):.2f}" for run in runs if run["mode"] == "process_file"]
    floors = [f"{float(str(run['seconds'])):.2f}" for run in runs if run["mode"] == "arrow_read"]
    print(f"all repeats, seconds: process_file {' '.join(spread)}; Arrow read {' '.join(floors)}")


def main() -> int:
    """Generate (once), measure, print a table and the RESULT line; exit 1 below the minimum."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size-mb", type=int, default=100)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out")
    parser.add_argument("--cpus", type=int, default=1, help="CPUs each measurement may use (default 1)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--profile", action="store_true", help="print a cProfile summary of process_file")
    parser.add_argument("--child", nargs=2, metavar=("MODE", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_mode(args.child[0], Path(args.child[1]), cpus=args.cpus, profile=args.profile)))
        return 0
    path, meta = _dataset(args.out, args.size_mb)
    size = path.stat().st_size
    print(f"file: {path} ({size / 1e6:.1f} MB, {meta['rows']} rows, {meta['bad']} bad: {meta['bad_by_kind']})")
    print(f"machine: {os.cpu_count()} CPUs; each measurement in a fresh process on {args.cpus} CPU(s)\n")
    runs = [_measure(mode, path, args.cpus, args.profile and mode == "process_file" and i == 0)
            for i in range(args.repeat) for mode in MODES]
    _table(runs, size)
    main_run, floor = _best(runs, "process_file"), _best(runs, "arrow_read")
    mbps = size / float(str(main_run["seconds"])) / 1e6
    floor_mbps = size / float(str(floor["seconds"])) / 1e6
    rss = max(float(str(run["rss_mb"])) for run in runs if run["mode"] == "process_file")
    accounted = all(run["rows_total"] == meta["rows"] and run["rows_rejected"] == meta["bad"]
                    for run in runs if run["mode"] == "process_file")
    ratio = mbps / floor_mbps
    print(f"\nratio {ratio:.3f} (goal {GOAL_RATIO}, least accepted {MIN_RATIO}); every bad row accounted "
          f"for: {accounted}; parquet {int(str(main_run['parquet_bytes'])) / size:.2f}x of CSV")
    print(f"RESULT mbps={mbps:.1f} floor_mbps={floor_mbps:.1f} ratio={ratio:.3f} rss_mb={rss:.0f} "
          f"bad_rows_accounted={str(accounted).lower()}")
    return 0 if ratio >= MIN_RATIO and rss <= MAX_RSS_MB and accounted else 1


if __name__ == "__main__":
    sys.exit(main())

"""Data-plane benchmark: process_file against the Arrow-read floor of the same run, 100 MB CSV.

Run: ``.venv/bin/python bench/bench_data.py [--size-mb 100] [--cpus 1 | --lambda validate-file
[--workspace local]] [--repeat 3] [--profile]``
Each measurement runs in a fresh subprocess pinned to the first ``--cpus`` CPUs; peak RSS is
that subprocess's ``ru_maxrss``. ``--lambda`` reads the function's memory from the synthesized
stacks (``make synth``) and gives each measurement what Lambda gives it: its cores, and a CFS
quota of its vCPU share (``capacity.lambda_cpu``, ``cpu_quota``). process_file and the floors
are interleaved ``--repeat`` times and the fastest of each is kept (the least disturbed by other load on a shared machine).
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
from contextlib import nullcontext
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(Path(__file__).resolve().parent), str(ROOT)]
from bench_modes import MODES, run_mode  # noqa: E402
from cpu_quota import cpu_quota, join  # noqa: E402

GOAL_RATIO, MIN_RATIO, MAX_RSS_MB = 0.4, 0.25, 512.0
LABELS = {"process_file": "process_file (validate+transform+Parquet)",
          "csv_reader": "floor: csv.reader parse only", "arrow_read": "floor: Arrow CSV read only"}


def _measure(mode: str, path: Path, cpus: int, profile: bool, group: Path | None) -> dict[str, object]:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "functions"))
    command = [sys.executable, __file__, "--child", mode, str(path), "--cpus", str(cpus),
               *(["--cgroup", str(group)] if group else [])]
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


def _lambda_cpu(slug: str, workspace: str) -> tuple[int, float, str]:
    """(cores, vCPU share, description) of a synthesized function, capped at this machine's CPUs."""
    from capacity.lambda_cpu import vcpu_share, visible_cores
    from capacity.synthesized import Synthesized

    memory = Synthesized.from_dir(ROOT / "cdktf.out", workspace).function(slug).memory_mb
    cores, share = min(visible_cores(memory), os.cpu_count() or 1), vcpu_share(memory)
    return cores, min(share, cores), f"{slug} ({workspace}): {memory:,} MB = {share:.2f} vCPU-s per s on {cores} cores"


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size-mb", type=int, default=100)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out")
    parser.add_argument("--cpus", type=int, default=1, help="CPUs each measurement may use (default 1)")
    parser.add_argument("--lambda", dest="function", metavar="SLUG",
                        help="measure with a synthesized function's cores and vCPU share instead of --cpus")
    parser.add_argument("--workspace", default="local", help="the synthesized workspace of --lambda")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--profile", action="store_true", help="print a cProfile summary of process_file")
    parser.add_argument("--child", nargs=2, metavar=("MODE", "PATH"), help=argparse.SUPPRESS)
    parser.add_argument("--cgroup", type=Path, help=argparse.SUPPRESS)
    return parser.parse_args()


def main() -> int:
    """Generate (once), measure, print a table and the RESULT line; exit 1 below the minimum."""
    args = _arguments()
    if args.child:
        if args.cgroup:
            join(args.cgroup)
        print(json.dumps(run_mode(args.child[0], Path(args.child[1]), cpus=args.cpus, profile=args.profile)))
        return 0
    path, meta = _dataset(args.out, args.size_mb)
    size = path.stat().st_size
    print(f"file: {path} ({size / 1e6:.1f} MB, {meta['rows']} rows, {meta['bad']} bad: {meta['bad_by_kind']})")
    cpus, share, described = (args.cpus, 0.0, "") if not args.function else _lambda_cpu(args.function, args.workspace)
    with cpu_quota(share) if share else nullcontext() as group:
        print(_limits(cpus, share, described, group))
        runs = [_measure(mode, path, cpus, args.profile and mode == "process_file" and i == 0, group)
                for i in range(args.repeat) for mode in MODES]
    return _report(runs, size, meta)


def _limits(cpus: int, share: float, described: str, group: Path | None) -> str:
    """The header line: this machine, and what each measurement may use."""
    limits = f"on {cpus} CPU(s)"
    if share:
        limits += f", CFS quota {share:.2f} CPUs" if group else ", no CFS quota (no writable cgroup cpu controller)"
    prefix = f"{described}; " if described else ""
    return f"machine: {os.cpu_count()} CPUs; {prefix}each measurement in a fresh process {limits}\n"


def _report(runs: list[dict[str, object]], size: int, meta: dict[str, object]) -> int:
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

"""Load benchmark: the deployed `local` pipeline in the emulator under concurrent API calls and file uploads.

Run: ``.venv/bin/python bench/load.py [--clients 8] [--requests 200] [--files 30]`` (or ``make load``).
Uses the emulator at AWS_ENDPOINT_URL when one listens there with `local` deployed (`make up`); else
starts one, deploys the four stacks, runs, and destroys them. Prints the API figures (requests/s,
p50/p99 latency, 5xx), the two idempotency races, the file batch per kind, the reconciliation and
the DLQ depths, then one RESULT line. Exit 0 only when everything reconciles (see load_figures).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "functions")]

from bench import load_api, load_files  # noqa: E402
from bench.load_figures import Outcome, percentile  # noqa: E402
from localcloud.demo import fresh_local_deployment  # noqa: E402
from localcloud.emulator import Emulator, port_in_use  # noqa: E402
from localcloud.scenario import TERMINAL, Pipeline  # noqa: E402

OUT = ROOT / "build" / "localcloud" / "load"
RACE_CLIENTS = (16, 8)


@contextmanager
def deployed_pipeline() -> Iterator[Pipeline]:
    """The running emulator's `local` pipeline (AWS_ENDPOINT_URL), or a fresh emulator + deploy, destroyed after."""
    endpoint = os.environ.get("AWS_ENDPOINT_URL")
    if endpoint and port_in_use(int(endpoint.rsplit(":", 1)[1].split("/")[0])):
        found = Pipeline.discover(endpoint)
        if found.api_url and found.state_machine_arn:
            print(f"using the running emulator at {endpoint} (`local` deployed there)", flush=True)
            yield found
            return
        print(f"{endpoint} has no `local` pipeline deployed: starting an emulator of our own", flush=True)
    emulator = Emulator(port=0, work_dir=OUT / "emulator").start()
    os.environ.update(emulator.client_env())
    print(f"started an emulator at {emulator.endpoint}; deploying `local` (destroyed at the end)", flush=True)
    deployment = fresh_local_deployment(emulator, outdir=OUT / "cdktf.out", log_dir=OUT / "terraform-logs")
    try:
        deployment.apply()
        yield Pipeline.discover(emulator.endpoint, emulator.region)
    finally:
        deployment.destroy()
        emulator.stop()
        print("destroyed the deployment and stopped the emulator", flush=True)


def api_phase(pipeline: Pipeline, tag: str, args: argparse.Namespace) -> tuple[load_api.ApiRun, list[str]]:
    tap = load_api.IngestedTap(tag)
    try:
        run = load_api.ApiRun()
        load_api.load(pipeline, run, tag, clients=args.clients, requests=args.requests)
        load_api.races(pipeline, run, tag, same=RACE_CLIENTS[0], diff=RACE_CLIENTS[1])
        events = tap.drain()
    finally:
        tap.close()
    ledger = load_api.ledger(pipeline, run, tag, events)
    problems = ledger.problems()
    stored, winner = load_api.stored_race_body(pipeline, tag), run.race_diff_winner
    if winner is None or stored != winner["amount"]:
        problems.append(f"race_diff: stored amount {stored} is not the 201's body ({winner and winner['amount']})")
    statuses = sorted({s for s, _ in run.calls})
    print(f"\nAPI: {len(pipeline.api_keys)} partner key(s) x {args.clients} client(s), {args.requests} new transactions "
          f"each, then the races ({RACE_CLIENTS[0]} same body, {RACE_CLIENTS[1]} different bodies)")
    print("  statuses: " + ", ".join(f"{s} x {sum(1 for c, _ in run.calls if c == s)}" for s in statuses))
    print(f"  reconciliation: {len(ledger.accepted_ids)} accepted id(s), {len(ledger.stored_ids)} stored, "
          f"{ledger.archive_objects} archive object(s), {ledger.events} TransactionIngested for "
          f"{ledger.accepted_requests} 2xx ({len(ledger.event_ids)} distinct id(s))")
    return run, problems


def file_phase(pipeline: Pipeline, tag: str, args: argparse.Namespace) -> tuple[int, int, list[str]]:
    partner = "acme"  # a partner of stacks/api/partners.py (uploads/<partner>/...)
    uploads = load_files.batch(tag, files=args.files, partner=partner)
    started = time.perf_counter()
    outcomes = load_files.upload_all(pipeline, uploads, timeout_s=args.timeout)
    print(f"\nFiles: {len(uploads)} uploads at once (partner {partner}), all terminal after "
          f"{time.perf_counter() - started:.0f} s")
    replayed = next(o for o in outcomes if o.label == "clean CSV")
    note = load_files.redeliver(pipeline, replayed)
    items = load_api.run_items(pipeline, tag)
    rows = load_files.file_rows(outcomes, items)
    problems = [p for r in rows for p in r.problems()]
    file_items = sum(1 for i in items if "file_id" in i)
    if file_items != sum(r.rows_stored for r in rows):
        problems.append(f"transactions table: {file_items} file item(s) for {sum(r.rows_stored for r in rows)} stored row(s)")
    print("| kind | files | statuses | s to terminal p50 / max | rows total / valid / rejected | stored / replayed |")
    print("|---|---:|---|---:|---:|---:|")
    for kind in load_files.KINDS:
        mine = [(o, r) for o, r in zip(outcomes, rows, strict=True) if o.label == kind]
        seconds = [o.seconds for o, _ in mine if o.seconds is not None] or [float("nan")]
        statuses = ", ".join(sorted({o.status for o, _ in mine}))
        print(f"| {kind} | {len(mine)} | {statuses} | {percentile(seconds, 50):.1f} / {max(seconds):.1f} | "
              f"{sum(r.rows_total for _, r in mine)} / {sum(r.rows_valid for _, r in mine)} / "
              f"{sum(r.rows_rejected for _, r in mine)} | {sum(r.stored for _, r in mine)} / "
              f"{sum(r.rows_replayed for _, r in mine)} |")
    line, resent = load_files.resent_pair(rows, [o.label for o in outcomes])
    print(line)
    problems += resent
    large = next(o for o in outcomes if o.label == "large CSV")
    mapped = load_files.took_distributed_map(pipeline, large.key)
    print(f"  large CSV ({int(large.item.get('size_bytes', 0))} B): Distributed Map {'yes' if mapped else 'NO'}")
    if not mapped:
        problems.append(f"large CSV {large.key}: no Distributed Map run in its execution")
    print(f"  duplicate event ({replayed.key}): {note}")
    if "1 file record(s)" not in note:
        problems.append(f"duplicate event: {note}")
    return len(outcomes), sum(1 for o in outcomes if o.status in TERMINAL), problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients per partner key")
    parser.add_argument("--requests", type=int, default=200, help="new transactions per partner key")
    parser.add_argument("--files", type=int, default=30, help="uploads at once (plus one large file)")
    parser.add_argument("--timeout", type=float, default=900, help="seconds a file may take to a terminal status")
    args = parser.parse_args(argv)
    tag = f"ld{time.strftime('%H%M%S')}"
    with deployed_pipeline() as pipeline:
        run, api_problems = api_phase(pipeline, tag, args)
        files, terminal, file_problems = file_phase(pipeline, tag, args)
        depths = pipeline.dlq_depths()
    print("\nDLQ depths: " + ", ".join(f"{name} {depth}" for name, depth in depths.items()))
    latencies = [seconds * 1000 for _, seconds in run.calls[: len(run.calls) - sum(RACE_CLIENTS)]]
    problems = api_problems + file_problems
    for problem in problems:
        print(f"  not reconciled: {problem}")
    outcome = Outcome(requests=len(latencies), rps=len(latencies) / run.seconds, p50_ms=percentile(latencies, 50),
                      p99_ms=percentile(latencies, 99), errors_5xx=sum(1 for s, _ in run.calls if s >= 500),
                      race_same=run.race_same, race_diff=run.race_diff, files=files, terminal=terminal,
                      reconciled=not problems, dlq_empty=not any(depths.values()))
    failures = outcome.failures(race_clients=RACE_CLIENTS)
    load = ", ".join(f"{v:.1f}" for v in os.getloadavg())
    print(f"\nmake load, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {os.cpu_count()} CPUs, load average {load}")
    for failure in failures:
        print(f"FAILED {failure}")
    print(outcome.result_line())
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

"""Deploy benchmark: emulator up -> synth `local` -> apply every stack -> destroy, timed per stack and resource.

Run: ``.venv/bin/python bench/bench_deploy.py [--out build/localcloud/bench]`` (or ``make bench-deploy``).
Prints apply and destroy seconds per stack (init + apply/destroy, as `make deploy` runs them) and
the ten slowest resources of the run, from terraform's JSON UI. Goals: apply of all four stacks
<= 60 s, destroy <= 30 s. The machine is shared: note the load average printed with the figures.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from localcloud.deploy import Deployment  # noqa: E402
from localcloud.emulator import Emulator  # noqa: E402
from localcloud.timings import ResourceTiming, resource_timings, slowest  # noqa: E402

GOALS = {"apply": 60.0, "destroy": 30.0}
TF_ARGS = ("-auto-approve", "-input=false", "-json", "-parallelism=20")


def _run(deployment: Deployment, stack: str, action: str) -> tuple[float, list[ResourceTiming]]:
    started = time.perf_counter()
    deployment.init(stack)
    output = deployment.terraform(stack, action, *TF_ARGS)
    return time.perf_counter() - started, resource_timings(stack, output.splitlines())


def measure(deployment: Deployment) -> tuple[dict[tuple[str, str], float], list[ResourceTiming]]:
    """Apply every stack in dependency order, then destroy in reverse; seconds per (stack, action) and per resource."""
    seconds: dict[tuple[str, str], float] = {}
    timings: list[ResourceTiming] = []
    stacks = deployment.stacks()
    try:
        for action, order in (("apply", stacks), ("destroy", list(reversed(stacks)))):
            for stack in order:
                seconds[(stack, action)], found = _run(deployment, stack, action)
                timings += found
                print(f"{action:8s} {stack:24s} {seconds[(stack, action)]:6.1f} s", file=sys.stderr, flush=True)
    except BaseException:
        deployment.destroy()
        raise
    return seconds, timings


def report(stacks: list[str], seconds: dict[tuple[str, str], float], timings: list[ResourceTiming]) -> str:
    """The figures as a small markdown table, goals next to the totals, then the ten slowest resources."""
    lines = ["| stack | apply s | destroy s |", "|---|---:|---:|"]
    lines += [f"| {s} | {seconds[(s, 'apply')]:.1f} | {seconds[(s, 'destroy')]:.1f} |" for s in stacks]
    totals = {a: sum(v for (_, act), v in seconds.items() if act == a) for a in GOALS}
    lines.append(f"| **all** | **{totals['apply']:.1f}** (goal <= {GOALS['apply']:.0f}) "
                 f"| **{totals['destroy']:.1f}** (goal <= {GOALS['destroy']:.0f}) |")
    lines += ["", "| # | resource | stack | action | s |", "|---:|---|---|---|---:|"]
    lines += [f"| {i} | `{t.address}` | {t.stack} | {t.action} | {t.seconds:.0f} |"
              for i, t in enumerate(slowest(timings), start=1)]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "localcloud" / "bench")
    args = parser.parse_args(argv)
    emulator = Emulator(port=0, work_dir=args.out / "emulator").start()
    try:
        deployment = Deployment(workspace="local", outdir=args.out / "cdktf.out", source=ROOT,
                                extra_env={"AWS_ENDPOINT_URL": emulator.endpoint}, log_dir=args.out / "terraform-logs")
        deployment.synth()
        shutil.rmtree(deployment.state_dir(), ignore_errors=True)
        seconds, timings = measure(deployment)
    finally:
        emulator.stop()
    load = ", ".join(f"{v:.1f}" for v in os.getloadavg())
    print(f"\nmake bench-deploy, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, "
          f"{os.cpu_count()} CPUs, load average {load}\n")
    print(report(deployment.stacks(), seconds, timings))
    return 0


if __name__ == "__main__":
    sys.exit(main())

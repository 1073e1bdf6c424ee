"""Synth benchmark: `main.py` for a workspace against a floor (a plain provider import + a trivial app), one run.

Run: ``.venv/bin/python bench/bench_synth.py [--workspace prod] [--repeat 3] [--profile]`` (or
``make bench-synth``). Both are fresh subprocesses, interleaved, each timed wall-clock; the fastest
of each is kept (the least disturbed on a shared machine) and the ratio synth / floor is printed as
``RESULT synth_s=.. floor_s=.. ratio=..``. Goal: ratio <= 0.35. `--profile` adds the slowest imports
of `main.py` (`python -X importtime`), the place to look when the ratio is above the goal.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOAL = 0.35
# The floor: what every CDKTF Python app pays when it imports the provider the documented way.
FLOOR = """
import sys
import cdktf_cdktf_provider_aws as aws
from cdktf import App, TerraformStack
app = App(outdir=sys.argv[1])
aws.provider.AwsProvider(TerraformStack(app, "floor"), "aws", region="us-east-1")
app.synth()
"""


def _env(workspace: str, outdir: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"TF_STATE_BUCKET", "AWS_ENDPOINT_URL"}}
    env.update(WORKSPACE=workspace, CDKTF_OUTDIR=outdir, JSII_NODE=str(ROOT / "node_modules" / ".bin" / "node"))
    return env


def _timed(args: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    result = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(args[:2])} failed ({result.returncode}):\n{result.stderr[-3000:]}")
    return elapsed


def measure(workspace: str, repeat: int) -> tuple[float, float]:
    """(fastest synth s, fastest floor s) over `repeat` interleaved runs."""
    synths, floors = [], []
    for i in range(repeat):
        with tempfile.TemporaryDirectory() as out:
            synths.append(_timed([sys.executable, "main.py"], _env(workspace, out)))
        with tempfile.TemporaryDirectory() as out:
            floors.append(_timed([sys.executable, "-c", FLOOR, out], _env(workspace, out)))
        print(f"run {i + 1}: synth {synths[-1]:.2f} s, floor {floors[-1]:.2f} s, load {os.getloadavg()[0]:.1f}")
    return min(synths), min(floors)


def slowest_imports(workspace: str, count: int = 15) -> list[tuple[int, str]]:
    """(cumulative µs, module) of the slowest imports of one `main.py` run."""
    with tempfile.TemporaryDirectory() as out:
        result = subprocess.run([sys.executable, "-X", "importtime", "main.py"], cwd=ROOT, env=_env(workspace, out),
                                capture_output=True, text=True, check=True)
    rows = []
    for line in result.stderr.splitlines():
        if line.startswith("import time:") and "|" in line and "cumulative" not in line:
            _, cumulative, module = (part.strip() for part in line.removeprefix("import time:").split("|"))
            rows.append((int(cumulative), module))
    return sorted(rows, reverse=True)[:count]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workspace", default=os.environ.get("WORKSPACE", "local"))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--profile", action="store_true", help="also list the slowest imports of main.py")
    args = parser.parse_args()
    synth_s, floor_s = measure(args.workspace, args.repeat)
    ratio = synth_s / floor_s
    if args.profile or ratio > GOAL:
        for micros, module in slowest_imports(args.workspace):
            print(f"  import {micros / 1e6:6.2f} s cumulative  {module}")
    verdict = "PASS" if ratio <= GOAL else "FAIL"
    print(f"RESULT synth_s={synth_s:.2f} floor_s={floor_s:.2f} ratio={ratio:.2f} goal<={GOAL} {verdict} "
          f"(workspace {args.workspace}, fastest of {args.repeat}, load {os.getloadavg()[0]:.1f})")
    return 0 if ratio <= GOAL else 1


if __name__ == "__main__":
    sys.exit(main())

"""`python -m capacity.cli {cost,load-plan}`: print the cost model or the load plan from a synthesized `cdktf.out/`.

`cost --base DIR` also prints the cost delta of `--outdir` (this change) against DIR (e.g. a copy of
main's `cdktf.out/`), both priced under the same scenario.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from capacity.cost_model import break_even_rows, delta, estimate
from capacity.cost_report import delta_text, estimate_text, inputs_text
from capacity.facts import load_measurements, load_prices
from capacity.load_plan import rows_in
from capacity.load_report import load_plan_text
from capacity.scenario import Scenario
from capacity.settings import rates
from capacity.synthesized import Synthesized


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m capacity.cli", description=__doc__)
    parser.add_argument("command", choices=("cost", "load-plan"))
    parser.add_argument("--workspace", default=os.environ.get("WORKSPACE", "local"))
    parser.add_argument("--outdir", type=Path, default=Path("cdktf.out"), help="synthesized app (default cdktf.out)")
    parser.add_argument("--base", type=Path, help="cost: a second synthesized app to compute the delta against")
    defaults = Scenario()
    parser.add_argument("--files-per-day", type=float, default=defaults.files_per_day)
    parser.add_argument("--mb-per-file", type=float, default=defaults.mb_per_file)
    parser.add_argument("--api-per-day", type=float, default=defaults.api_per_day)
    parser.add_argument("--dates-per-file", type=int, default=defaults.dates_per_file)
    parser.add_argument("--rows-per-day", type=int, default=10_000_000, help="load-plan: daily rows")
    return parser


def _cost(args: argparse.Namespace) -> list[str]:
    synth = Synthesized.from_dir(args.outdir, args.workspace)
    prices, m = load_prices(synth.region()), load_measurements()
    scenario = Scenario(files_per_day=args.files_per_day, mb_per_file=args.mb_per_file, api_per_day=args.api_per_day,
                        dates_per_file=args.dates_per_file)
    result = estimate(synth, prices, m, scenario)
    lines = inputs_text(scenario, prices, m, workspace=args.workspace)
    lines += estimate_text(result, break_even=break_even_rows(synth, prices, m), rows_per_mb=rows_in(1, rates(m)))
    if args.base:
        base = estimate(Synthesized.from_dir(args.base, args.workspace), prices, m, scenario)
        lines += delta_text(delta(base, result), base=str(args.base))
    return lines


def cost_delta_lines(outdir: Path, base: Path, workspace: str) -> list[str]:
    """The cost delta of the app in `outdir` against the one in `base`, under the default scenario."""
    m, scenario = load_measurements(), Scenario()
    change = Synthesized.from_dir(outdir, workspace)
    prices = load_prices(change.region())
    before = estimate(Synthesized.from_dir(base, workspace), prices, m, scenario)
    return delta_text(delta(before, estimate(change, prices, m, scenario)), base=str(base))


def main(argv: list[str] | None = None) -> int:
    """Print the requested report; a missing synth or bad input exits 2 with the reason."""
    args = _parser().parse_args(argv)
    try:
        if args.command == "cost":
            lines = _cost(args)
        else:
            lines = load_plan_text(Synthesized.from_dir(args.outdir, args.workspace), load_measurements(),
                                   rows_per_day=args.rows_per_day)
    except (FileNotFoundError, KeyError, ValueError) as error:
        print(f"capacity: {error}", file=sys.stderr)
        return 2
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Load plan for 1 GB files and 10M rows a day into the on-demand transactions table (`make load-plan`).

Run: ``.venv/bin/python bench/load_plan.py --workspace prod [--outdir cdktf.out] [--rows-per-day N]``
after a synth of that workspace. Every setting comes from the synthesized JSON (capacity.settings),
the rates from capacity/measurements.json; see capacity.load_plan for the arithmetic.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from capacity.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main(["load-plan", *sys.argv[1:]]))

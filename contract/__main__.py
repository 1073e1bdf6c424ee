"""`python -m contract generate | check | diff --base <git ref> [--fail-on breaking|version]`.

diff exits 0 unless `--fail-on` names something it found: `breaking` (any breaking change) or
`version` (the version bump does not fit the changes).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from typing import Any

from contract import artifacts, facts
from contract.diff import classify, version_problems
from contract.paths import OUT_DIR, OUT_REL, ROOT


def _generate(_: argparse.Namespace) -> int:
    changed = artifacts.generate()
    print(f"{OUT_REL}: {', '.join(changed) if changed else 'up to date'}")
    return 0


def _check(_: argparse.Namespace) -> int:
    wrong = artifacts.stale()
    if wrong:
        print(f"{OUT_REL} is not what `make contract` generates: {', '.join(wrong)}", file=sys.stderr)
        return 1
    print(f"{OUT_REL}: up to date")
    return 0


def base_facts(ref: str) -> dict[str, Any] | None:
    """`rules.json` as committed at `ref`; None when that commit has no contract artifacts."""
    shown = subprocess.run(["git", "show", f"{ref}:{OUT_REL}/{facts.FILE_NAME}"], cwd=ROOT,
                           capture_output=True, text=True, check=False)
    if shown.returncode != 0:
        known = subprocess.run(["git", "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], cwd=ROOT,
                               capture_output=True, text=True, check=False)
        if known.returncode != 0:
            raise SystemExit(f"contract diff: {ref!r} is not a git commit here")
        return None
    loaded: dict[str, Any] = json.loads(shown.stdout)
    return loaded


def _diff(args: argparse.Namespace) -> int:
    old, new = base_facts(args.base), facts.facts()
    if old is None:
        print(f"contract diff: {args.base} has no {OUT_REL}/{facts.FILE_NAME}; everything is new "
              f"(contract {new['contract_version']})")
        return 0
    changes = classify(old, new)
    problems = version_problems(old["contract_version"], new["contract_version"], changes)
    print(f"contract diff {args.base} → working tree ({old['contract_version']} → {new['contract_version']})")
    for title, items in (("breaking", changes.breaking), ("non-breaking", changes.compatible)):
        print(f"{title} ({len(items)}):")
        print("\n".join(f"  - {item}" for item in items) or "  (none)")
    for problem in problems:
        print(f"version: {problem}")
    failed = {"breaking": bool(changes.breaking), "version": bool(problems)}.get(args.fail_on or "", False)
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    """Run one command; the exit status is the process's."""
    parser = argparse.ArgumentParser(prog="python -m contract", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("generate", help=f"write {OUT_DIR.relative_to(ROOT)}/*").set_defaults(run=_generate)
    commands.add_parser("check", help="fail when the artifacts are not what generating gives").set_defaults(run=_check)
    diff = commands.add_parser("diff", help="breaking and non-breaking rule changes since a git ref")
    diff.add_argument("--base", required=True, help="git ref to compare with, e.g. main")
    diff.add_argument("--fail-on", choices=("breaking", "version"), default=None)
    diff.set_defaults(run=_diff)
    args = parser.parse_args(argv)
    return int(args.run(args))


if __name__ == "__main__":
    sys.exit(main())

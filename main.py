#!/usr/bin/env python
"""CDKTF entry point: synthesizes the four stacks of the workspace named by `WORKSPACE`."""

import os

from cdktf import App

import stacks  # noqa: F401  (registers the fast provider import before any stack module)
from stacks.app import build
from stacks.config import all_configs, load_config
from stacks.quotas import check_account_concurrency


def main() -> None:
    """Synthesize `cdktf.out/` for the selected workspace."""
    app = App(outdir=os.environ.get("CDKTF_OUTDIR", "cdktf.out"))
    pipeline = build(app, load_config())
    # Every workspace runs the same functions; those sharing an account share its concurrency quota.
    functions = [*pipeline.processing.functions, *pipeline.api.functions]
    check_account_concurrency(all_configs(), {f.spec.name: f.spec.reservation for f in functions if f.spec.reservation})
    app.synth()


if __name__ == "__main__":
    main()

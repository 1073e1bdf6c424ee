#!/usr/bin/env python
"""CDKTF entry point: synthesizes the four stacks of the workspace named by `WORKSPACE`."""

import os

from cdktf import App

import stacks  # noqa: F401  (registers the fast provider import before any stack module)
from stacks.app import build
from stacks.config import load_config


def main() -> None:
    """Synthesize `cdktf.out/` for the selected workspace."""
    app = App(outdir=os.environ.get("CDKTF_OUTDIR", "cdktf.out"))
    build(app, load_config())
    app.synth()


if __name__ == "__main__":
    main()

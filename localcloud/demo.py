"""`make demo`: emulator up -> deploy `local` -> push data -> summary -> destroy."""

from __future__ import annotations

import shutil
from pathlib import Path

from localcloud.deploy import ROOT, Deployment
from localcloud.emulator import Emulator


def fresh_local_deployment(emulator: Emulator, *, outdir: Path = ROOT / "build" / "localcloud" / "demo" / "cdktf.out",
                           source: Path = ROOT) -> Deployment:
    """Synthesize `local` against `emulator` and forget any state left from an earlier emulator (it started empty)."""
    deployment = Deployment(workspace="local", outdir=outdir, source=source, extra_env={"AWS_ENDPOINT_URL": emulator.endpoint},
                            log_dir=outdir.parent / "terraform-logs")
    deployment.synth()
    shutil.rmtree(deployment.state_dir(), ignore_errors=True)
    return deployment


def run_demo(port: int) -> int:
    raise SystemExit("demo: not written yet")

"""End-to-end: one real terraform deploy of all four stacks into the emulator per session, destroyed at the end.

The destroy is the `deployment` fixture's teardown, so it follows every test whatever their order or
selection; it fails the session (an error at teardown) when anything of ours is left behind.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from localcloud import clock
from localcloud.deploy import ROOT, Deployment
from localcloud.emulator import Emulator
from localcloud.scenario import Pipeline
from localcloud.testing import run_last
from tests.e2e import fixtures
from tests.e2e.leftovers import leftovers

# The shared session fixtures (one emulator per process; its faults fail the session).
emulator = fixtures.emulator
no_emulator_faults = fixtures.no_emulator_faults

E2E_DIR = ROOT / "build" / "localcloud" / "e2e"
# Emulated seconds per real second: the alarms' one-minute periods last 2 s and the five-minute schedules
# (sla_monitor, the aggregator) fire every 10 s, so alarms and schedules are seen working within a test.
E2E_TIME_SCALE = 30


def pytest_collection_modifyitems(items: list[Any]) -> None:
    run_last(items)


@pytest.fixture(scope="session")
def time_scale(emulator: Emulator) -> Iterator[float]:
    """The emulated clock at `E2E_TIME_SCALE` from before the deploy; real time again after the session."""
    clock.start(scale=E2E_TIME_SCALE)
    yield E2E_TIME_SCALE
    clock.start(scale=1)


@pytest.fixture(scope="session")
def deployment(emulator: Emulator, time_scale: float) -> Iterator[Deployment]:
    """All four stacks of `local`, synthesized from this checkout, applied into the emulator.

    Torn down after the session's last test: destroyed, then nothing of ours may remain (in the
    emulator or in any stack's state).
    """
    outdir = Path(os.environ.get("LOCALCLOUD_E2E_OUTDIR", E2E_DIR / "cdktf.out"))
    source = Path(os.environ.get("LOCALCLOUD_E2E_SOURCE", ROOT))
    deployment = Deployment(workspace="local", outdir=outdir, source=source,
                            extra_env={"AWS_ENDPOINT_URL": emulator.endpoint}, log_dir=outdir.parent / "terraform-logs")
    deployment.synth()
    shutil.rmtree(deployment.state_dir(), ignore_errors=True)
    try:
        deployment.apply()
    except Exception:
        deployment.destroy()
        raise
    yield deployment
    deployment.destroy()
    left = leftovers(deployment)
    if left:
        pytest.fail(f"terraform destroy left resources behind: {left}", pytrace=False)


@pytest.fixture(scope="session")
def pipeline(deployment: Deployment, emulator: Emulator) -> Pipeline:
    return Pipeline.discover(emulator.endpoint, emulator.region)


@pytest.fixture(scope="session")
def alerts(pipeline: Pipeline) -> str:
    url = pipeline.subscribe_alerts("localcloud-e2e-alerts")
    if url is None:
        pytest.fail("no alert topic deployed")
    return url

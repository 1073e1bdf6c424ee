"""The session fixtures every end-to-end folder starts from: one emulator per process, faults fail the session."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest

from localcloud.deploy import MIRROR
from localcloud.emulator import Emulator
from localcloud.testing import client_environment, fail_on_emulator_faults, session_emulator


@pytest.fixture(scope="session", autouse=True)
def no_emulator_faults() -> Iterator[None]:
    """Set up first, torn down last (after the destroy): fails the session naming any emulator fault."""
    yield
    fail_on_emulator_faults()


@pytest.fixture(scope="session")
def emulator() -> Iterator[Emulator]:
    """This process's emulator, with AWS clients pointed at it; the session skips, naming why, without terraform."""
    if shutil.which("terraform") is None or not MIRROR.is_dir():
        pytest.skip(f"E2E SKIPPED: terraform on PATH={shutil.which('terraform')}, "
                    f"plugin mirror {MIRROR} exists={MIRROR.is_dir()}")
    emulator = session_emulator()
    with client_environment(emulator):
        yield emulator

"""Tests of the emulator's additions: each starts from the session emulator, against real HTTP calls."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from localcloud.emulator import Emulator
from localcloud.testing import client_environment, fail_on_emulator_faults, run_last, session_emulator


def pytest_collection_modifyitems(items: list[Any]) -> None:
    run_last(items)


@pytest.fixture(scope="session", autouse=True)
def emulator() -> Iterator[Emulator]:
    emulator = session_emulator()
    with client_environment(emulator):
        yield emulator
    fail_on_emulator_faults()  # the session's teardown fails, naming them, when the emulator hit a fault

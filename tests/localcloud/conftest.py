"""Tests of the emulator's additions: each starts from the session emulator, against real HTTP calls."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

from localcloud.emulator import Emulator
from localcloud.testing import run_last, session_emulator


def pytest_collection_modifyitems(items: list[Any]) -> None:
    run_last(items)


@pytest.fixture(scope="session", autouse=True)
def emulator() -> Iterator[Emulator]:
    emulator = session_emulator()
    saved = {k: os.environ.get(k) for k in emulator.client_env()}
    os.environ.update(emulator.client_env())
    yield emulator
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value

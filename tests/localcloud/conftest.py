"""Tests of the emulator's additions: each starts from the session emulator, against real HTTP calls."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from localcloud.emulator import Emulator
from localcloud.testing import session_emulator


@pytest.fixture(scope="session")
def emulator() -> Iterator[Emulator]:
    yield session_emulator()

"""The prod stacks as the capacity package reads them (one synth per session, tests/synth.py), and the pinned facts."""

from __future__ import annotations

import copy

import pytest

from capacity.facts import Measurements, PriceTable, load_measurements, load_prices
from capacity.synthesized import Synthesized
from tests.synth import Synth


@pytest.fixture(scope="session")
def prod_synth(prod: Synth) -> Synthesized:
    return Synthesized.from_dir(prod.outdir, "prod")


@pytest.fixture
def editable(prod_synth: Synthesized) -> Synthesized:
    """A deep copy a test may change (the session's copy stays as synthesized)."""
    return Synthesized(workspace=prod_synth.workspace, stacks=copy.deepcopy(dict(prod_synth.stacks)))


@pytest.fixture(scope="session")
def prices() -> PriceTable:
    return load_prices("us-east-1")


@pytest.fixture(scope="session")
def measurements() -> Measurements:
    return load_measurements()

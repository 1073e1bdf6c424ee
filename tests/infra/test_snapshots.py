"""One snapshot per stack: a change detector for review (`pytest --snapshot-update`, then read the diff)."""

from __future__ import annotations

import pytest
from syrupy.assertion import SnapshotAssertion
from syrupy.extensions.json import JSONSnapshotExtension

from tests.synth import Synth


@pytest.fixture
def snapshot_json(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    return snapshot.use_extension(JSONSnapshotExtension)


@pytest.mark.parametrize("concern", ["storage", "processing", "api", "observability"])
def test_stack_matches_snapshot(local: Synth, concern: str, snapshot_json: SnapshotAssertion) -> None:
    assert local.stack(concern) == snapshot_json

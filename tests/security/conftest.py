"""The session synth fixtures of tests/infra, shared (one synth per workspace per session), and checkov's."""

from __future__ import annotations

from typing import Any

import pytest

from tests.infra.conftest import local, prod, synth_of  # noqa: F401  (shared session fixtures)
from tests.security.checkov_run import run_checkov


@pytest.fixture(scope="session")
def checkov_of(synth_of):  # type: ignore[no-untyped-def]  # noqa: F811  (the fixture, not the import)
    """checkov's report per workspace, run once per session."""
    cache: dict[str, dict[str, Any]] = {}

    def get(workspace: str) -> dict[str, Any]:
        if workspace not in cache:
            cache[workspace] = run_checkov(synth_of(workspace).outdir / "stacks")
        return cache[workspace]

    return get

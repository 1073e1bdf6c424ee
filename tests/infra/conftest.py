"""Session fixtures: one synth per workspace per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.synth import Synth, run_synth


@pytest.fixture(scope="session")
def synth_of(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    cache: dict[str, Synth] = {}

    def get(workspace: str) -> Synth:
        if workspace not in cache:
            outdir: Path = tmp_path_factory.mktemp(f"synth-{workspace}")
            run_synth(workspace, outdir)
            cache[workspace] = Synth(outdir, workspace)
        return cache[workspace]

    return get


@pytest.fixture(scope="session")
def local(synth_of) -> Synth:  # type: ignore[no-untyped-def]
    return synth_of("local")


@pytest.fixture(scope="session")
def prod(synth_of) -> Synth:  # type: ignore[no-untyped-def]
    return synth_of("prod")

"""Shared test set-up: `functions/` importable as in Lambda; repo paths."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT / "functions") not in sys.path:
    sys.path.insert(0, str(ROOT / "functions"))


# Session fixtures: one synth per workspace per test session, shared by every test folder.
import pytest  # noqa: E402

from tests.synth import Synth, run_synth  # noqa: E402


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

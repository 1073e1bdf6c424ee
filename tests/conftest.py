"""Shared test set-up: `functions/` importable as in Lambda, handlers imported cold by every test; repo paths."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT / "functions") not in sys.path:
    sys.path.insert(0, str(ROOT / "functions"))
HANDLER_PACKAGES = frozenset(path.parent.name for path in (ROOT / "functions").glob("*/handler.py"))

import pytest  # noqa: E402

from tests.synth import Synth, run_synth  # noqa: E402


def forget_handlers() -> None:
    """Drop every imported handler module, so the next import is a cold start.

    ``list(sys.modules)`` copies the names in one C call: an emulator thread of the test may
    import a module meanwhile, and iterating the dict itself would then fail.
    """
    for name in [m for m in list(sys.modules) if m.split(".")[0] in HANDLER_PACKAGES]:
        del sys.modules[name]


@pytest.fixture(autouse=True)
def cold_handlers() -> Iterator[None]:
    """Each test imports handlers afresh, as a new execution environment would.

    A handler reads its environment once, when its module is imported (txnpipe.environment): a module
    imported by an earlier test would keep that test's variables.
    """
    forget_handlers()
    yield
    forget_handlers()


# Session fixtures: one synth per workspace per test session, shared by every test folder.
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

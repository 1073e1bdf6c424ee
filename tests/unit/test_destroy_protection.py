"""`make destroy` refuses a workspace with deletion protection before terraform touches any stack."""

from __future__ import annotations

import pytest

from localcloud.__main__ import main, protection_refusal


def test_destroying_prod_is_refused_and_says_how_protection_is_lifted(capsys: pytest.CaptureFixture[str]) -> None:
    # Given prod (deletion protection on), aimed at the emulator
    # When `make destroy WORKSPACE=prod TARGET=local` runs (no emulator needed: nothing is touched)
    code = main(["destroy", "--workspace", "prod"])
    # Then it exits 1 and the message names the setting to change and the steps
    assert (code, "deletion_protection=False for prod" in capsys.readouterr().err) == (1, True)


@pytest.mark.parametrize("workspace", ["dev", "staging", "pr-7", "local"])
def test_unprotected_workspaces_may_be_destroyed(workspace: str) -> None:
    assert protection_refusal(workspace) is None

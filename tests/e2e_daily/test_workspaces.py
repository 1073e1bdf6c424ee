"""Two workspaces side by side in one emulator: their own names and state; destroying one leaves the other.

prod (TARGET=local) and pr-1 were applied together by the session fixture. pr-1 is destroyed here;
prod must be intact afterwards, and `make destroy` of prod must refuse before touching anything.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import boto3
import pytest
from botocore.exceptions import ClientError

from localcloud.__main__ import main
from localcloud.deploy import Deployment
from tests.e2e.leftovers import leftovers

pytestmark = pytest.mark.e2e


def _tables(workspace: str) -> list[str]:
    return sorted(t for t in boto3.client("dynamodb").list_tables()["TableNames"] if t.endswith(f"-{workspace}"))


def _managed(deployment: Deployment) -> dict[str, list[str]]:
    return {s: [a for a in deployment.state_resources(s) if not a.startswith("data.")] for s in deployment.stacks()}


def test_each_workspace_has_its_own_tables(workspaces: dict[str, Deployment]) -> None:
    # Given prod and pr-1 applied side by side
    # Then each has its four tables under its own name
    assert (len(_tables("prod")), len(_tables("pr-1"))) == (4, 4)


def test_each_workspace_has_its_own_state(workspaces: dict[str, Deployment]) -> None:
    assert workspaces["prod"].state_dir() != workspaces["pr-1"].state_dir()


@pytest.fixture(scope="module")
def after_pr_destroy(workspaces: dict[str, Deployment]) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """When pr-1 is destroyed: prod's state before and after, and what is left of pr-1."""
    prod_before = _managed(workspaces["prod"])
    workspaces["pr-1"].destroy()
    return prod_before, _managed(workspaces["prod"])


def test_destroying_the_review_workspace_removes_all_of_it(
        workspaces: dict[str, Deployment], after_pr_destroy: tuple[dict[str, list[str]], dict[str, list[str]]]) -> None:
    assert leftovers(workspaces["pr-1"]) == {}


def test_destroying_the_review_workspace_leaves_prod_state_intact(
        after_pr_destroy: tuple[dict[str, list[str]], dict[str, list[str]]]) -> None:
    before, after = after_pr_destroy
    assert after == before


def test_destroying_the_review_workspace_leaves_prod_tables(
        after_pr_destroy: tuple[dict[str, list[str]], dict[str, list[str]]]) -> None:
    assert len(_tables("prod")) == 4


def test_after_the_review_workspace_is_gone_prod_plans_clean(
        workspaces: dict[str, Deployment], after_pr_destroy: tuple[dict[str, list[str]], dict[str, list[str]]]) -> None:
    prod = workspaces["prod"]
    with ThreadPoolExecutor(max_workers=4) as pool:
        codes = dict(zip(prod.stacks(), pool.map(lambda s: prod.plan_exit_code(s)[0], prod.stacks()), strict=True))
    assert codes == dict.fromkeys(prod.stacks(), 0)


def test_make_destroy_of_prod_is_refused_and_touches_nothing(
        workspaces: dict[str, Deployment], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    # Given prod applied into the emulator
    before = _managed(workspaces["prod"])
    monkeypatch.setenv("TARGET", "local")
    # When `make destroy WORKSPACE=prod TARGET=local` runs
    code = main(["destroy", "--workspace", "prod"])
    # Then it is refused, says how protection is lifted, and prod's state is as it was
    assert (code, "deletion_protection=False" in capsys.readouterr().err, _managed(workspaces["prod"])) == (1, True, before)


def test_the_account_refuses_to_delete_a_prod_table(workspaces: dict[str, Deployment]) -> None:
    # Given a prod table (deletion protection on, from prod's settings)
    table = _tables("prod")[0]
    # When it is deleted directly, as a mistaken script would
    with pytest.raises(ClientError) as refused:
        boto3.client("dynamodb").delete_table(TableName=table)
    # Then DynamoDB refuses, as AWS does
    assert "deletion" in str(refused.value).lower()

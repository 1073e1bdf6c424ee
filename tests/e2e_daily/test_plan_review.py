"""Plan review against the deployed prod workspace (on the emulator): what a pull request's comment would say.

Each change is made in a copy of the sources, synthesized beside the deployment's own output so
that its stacks read the deployment's state (`<outdir>/../.state`), then planned and reviewed.
Planning only reads state: the deployment is left as it was.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from localcloud.deploy import ROOT, Deployment
from localcloud.review.run import plan_stack
from localcloud.review.summary import DATA_LOSS_EXIT, StackReview, data_loss_exit

pytestmark = pytest.mark.e2e

COPIED = ("main.py", "cdktf.json", "Pipfile.lock", "stacks", "functions")
SHARED = ("node_modules", "build/layers")  # installed / built once; linked, not copied


def _changed_copy(deployment: Deployment, root: Path, name: str, edit: Callable[[Path], None]) -> Deployment:
    source = root / name
    source.mkdir(parents=True)
    for item in COPIED:
        copy = shutil.copytree if (ROOT / item).is_dir() else shutil.copyfile
        copy(ROOT / item, source / item)  # type: ignore[operator]
    for item in SHARED:
        (source / item).parent.mkdir(parents=True, exist_ok=True)
        (source / item).symlink_to(ROOT / item)
    edit(source)
    copy_of = Deployment(workspace=deployment.workspace, outdir=deployment.outdir.parent / f"cdktf.out-{name}",
                         source=source, extra_env=deployment.extra_env, log=deployment.log)
    copy_of.synth()
    return copy_of


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{path}: {old!r} not found (the test's edit no longer applies)"
    path.write_text(text.replace(old, new))


def _code_and_threshold(source: Path) -> None:
    handler = source / "functions" / "load_transactions" / "handler.py"
    handler.write_text(handler.read_text() + "\n# a reviewed code change\n")
    _replace(source / "stacks" / "observability" / "alarms.py", "API_P99_LATENCY_MS = 3000", "API_P99_LATENCY_MS = 2500")


def _rename_audit_table(source: Path) -> None:
    _replace(source / "stacks" / "storage" / "stack.py", 'self._table("audit", AUDIT)', 'self._table("audit-log", AUDIT)')


@pytest.fixture(scope="module")
def reviews(deployment: Deployment, tmp_path_factory: pytest.TempPathFactory) -> dict[str, StackReview]:
    """Given the deployed workspace, and two changed copies of its sources (synthesized side by side);
    When the stacks each change touches are planned and reviewed (side by side)."""
    root, plans = tmp_path_factory.mktemp("review-sources"), tmp_path_factory.mktemp("review-plans")
    edits = {"code": _code_and_threshold, "rename": _rename_audit_table}
    with ThreadPoolExecutor(max_workers=2) as pool:
        copies = dict(zip(edits, pool.map(lambda n: _changed_copy(deployment, root, n, edits[n]), edits), strict=True))
    jobs = {"processing": copies["code"], "observability": copies["code"], "storage": copies["rename"]}
    ws = deployment.workspace
    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        planned = pool.map(lambda c: plan_stack(jobs[c], f"{c}-{ws}", plans / c), jobs)
        return dict(zip(jobs, planned, strict=True))


def _updates(review: StackReview) -> set[str]:
    return {c["construct_path"] for c in review.changes if c["actions"] == ["update"]}


def test_a_code_change_updates_only_its_function(reviews: dict[str, StackReview], deployment: Deployment) -> None:
    assert _updates(reviews["processing"]) == {f"processing-{deployment.workspace}/load-transactions/function"}


def test_a_code_change_loses_no_data(reviews: dict[str, StackReview]) -> None:
    assert reviews["processing"].data_loss == []


def test_a_threshold_change_updates_only_its_alarm(reviews: dict[str, StackReview], deployment: Deployment) -> None:
    assert _updates(reviews["observability"]) == {f"observability-{deployment.workspace}/alarms/api-api-p99-latency"}


def test_the_threshold_is_the_changed_attribute(reviews: dict[str, StackReview]) -> None:
    change = next(c for c in reviews["observability"].changes if c["actions"] == ["update"])
    assert set(change["attributes"]) == {"threshold", "alarm_description"}


def test_renaming_the_audit_table_lists_its_destruction_as_data_loss(reviews: dict[str, StackReview],
                                                                   deployment: Deployment) -> None:
    # Then the table's delete is listed, with the construct path the last apply recorded
    assert [(d["construct_path"], d["why"]) for d in reviews["storage"].data_loss] == [
        (f"storage-{deployment.workspace}/audit/table", "table destroyed: its data is lost")]


def test_make_plan_fail_on_data_loss_exits_non_zero_for_the_rename(reviews: dict[str, StackReview]) -> None:
    # Then `make plan FAIL_ON=data-loss` would exit with the data-loss code on this review
    assert data_loss_exit({"storage": reviews["storage"]}, "data-loss") == DATA_LOSS_EXIT


def test_make_plan_fail_on_data_loss_passes_a_code_change(reviews: dict[str, StackReview]) -> None:
    assert data_loss_exit({s: reviews[s] for s in ("processing", "observability")}, "data-loss") == 0

"""After apply, `make plan` of every stack is clean: what terraform wrote, the emulator reads back as AWS does.

A plan reviewer must see only real changes. A stack whose plan is not empty right after apply
means an answer that does not round-trip (fix it in the emulator when AWS would round-trip, in the
project when AWS would show the same diff).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from localcloud.deploy import Deployment
from localcloud.review.run import plan_stack
from localcloud.review.summary import StackReview

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def plans(deployment: Deployment, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, StackReview]]:
    """Given all four stacks applied (session fixture); When `make plan`'s runner plans and reviews every stack
    (side by side: plans only read, each stack has its own state)."""
    out = tmp_path_factory.mktemp("plans")
    stacks = deployment.stacks()
    with ThreadPoolExecutor(max_workers=len(stacks)) as pool:
        return out, dict(zip(stacks, pool.map(lambda s: plan_stack(deployment, s, out), stacks), strict=True))


@pytest.mark.parametrize("concern", ["storage", "processing", "api", "observability"])
def test_plan_after_apply_has_no_changes(plans: tuple[Path, dict[str, StackReview]], concern: str) -> None:
    out, reviews = plans
    stack = next(s for s in reviews if s.startswith(f"{concern}-"))
    # Then the review counts nothing to create, update, replace or delete
    assert sum(reviews[stack].counts.values()) == 0, (
        f"{stack}: plan after apply is not clean:\n{(out / f'{stack}.txt').read_text()}")

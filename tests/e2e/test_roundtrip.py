"""After apply, `terraform plan` of every stack is clean: what terraform wrote, the emulator reads back as AWS does.

A plan reviewer must see only real changes. A stack whose plan is not empty right after apply
means an answer that does not round-trip (fix it in the emulator when AWS would round-trip, in the
project when AWS would show the same diff).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from localcloud.deploy import Deployment

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def plans(deployment: Deployment) -> dict[str, tuple[int, str]]:
    """Given all four stacks applied (session fixture); When every stack is planned again (side by side:
    plans only read, each stack has its own state)."""
    stacks = deployment.stacks()
    with ThreadPoolExecutor(max_workers=len(stacks)) as pool:
        return dict(zip(stacks, pool.map(deployment.plan_exit_code, stacks), strict=True))


@pytest.mark.parametrize("concern", ["storage", "processing", "api", "observability"])
def test_plan_after_apply_has_no_changes(plans: dict[str, tuple[int, str]], concern: str) -> None:
    stack = next(s for s in plans if s.startswith(f"{concern}-"))
    exit_code, plan = plans[stack]
    # Then terraform reports no changes (-detailed-exitcode: 0 = none, 2 = changes)
    assert exit_code == 0, f"{stack}: plan after apply is not clean:\n{plan}"

"""One strict xfail per finding reported to another stack's owner (tests/security/known_findings.py).

While the finding is open the test xfails; once fixed it XPASSes, which fails the run until
the entry is removed from OPEN, so the exemption cannot outlive the problem.
"""

from __future__ import annotations

import pytest

from stacks.config import load_config
from tests.security import gates
from tests.security.checkov_run import failed_checks
from tests.security.known_findings import OPEN, Open
from tests.security.tfjson import Stacks


def _findings(gate: str, synth_of, checkov_of) -> list[str]:  # type: ignore[no-untyped-def]
    if gate == "checkov":
        return failed_checks(checkov_of("local"))
    stacks = Stacks.of(synth_of("local"))
    if gate == "parliament":
        return gates.parliament_findings(stacks)
    return gates.all_gates(stacks, retention_days=load_config({"WORKSPACE": "local"}).log_retention_days)[gate]


@pytest.mark.parametrize("finding", [
    pytest.param(o, id=f"{o.gate}:{o.match}", marks=pytest.mark.xfail(strict=True, reason=f"{o.owner}: {o.fix}"))
    for o in OPEN
])
def test_reported_finding_is_fixed(finding: Open, synth_of, checkov_of) -> None:  # type: ignore[no-untyped-def]
    present = [f for f in _findings(finding.gate, synth_of, checkov_of) if finding.match in f]
    assert present == [], f"still open ({finding.owner}): {present}\nfix: {finding.fix}"

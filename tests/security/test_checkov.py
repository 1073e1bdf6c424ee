"""checkov over the synthesized stacks: zero failed checks; skips only in `.checkov.yaml`, each with a reason."""

from __future__ import annotations

import re

import pytest

from tests.security.checkov_run import CONFIG, failed_checks
from tests.security.known_findings import new_findings
from tests.synth import Synth


@pytest.mark.parametrize("workspace", ["local", "prod"])
def test_checkov_finds_nothing_new_and_really_scans_every_stack(synth_of, checkov_of, workspace: str) -> None:  # type: ignore[no-untyped-def]
    synth: Synth = synth_of(workspace)
    report = checkov_of(workspace)
    failed = new_findings("checkov", failed_checks(report))
    assert failed == [], "\n".join(failed)
    passed = report["results"]["passed_checks"]
    assert report["summary"]["passed"] > 50
    scanned = {c["file_path"].split("/")[1] for c in passed}
    # every stack that has resources was scanned (not just parsed)
    expected = {f"{c}-{workspace}" for c in synth.concerns if synth.stack(c).get("resource")}
    assert expected <= scanned, f"not scanned: {expected - scanned}"


def test_every_skip_has_a_reason() -> None:
    lines = CONFIG.read_text().splitlines()
    skips = [line for line in lines if re.match(r"\s*-\s*CKV", line)]
    assert skips, "no skip-check entries found"
    for line in skips:
        check, _, reason = line.partition("#")
        assert len(reason.strip()) > 20, f"skip without a reason: {line!r}"
        assert re.fullmatch(r"\s*-\s*CKV2?_AWS_\d+\s*", check), line

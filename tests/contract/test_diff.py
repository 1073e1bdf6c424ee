"""`contract diff`: tightened rules are breaking, loosened ones are not, and the version must follow."""

from __future__ import annotations

import copy
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from contract.diff import classify, version_problems
from contract.facts import facts
from contract.paths import ROOT
from txnpipe.domain.version import CONTRACT_VERSION


def changed(edit: Any) -> tuple[list[str], list[str]]:
    """(breaking, non-breaking) when today's facts are edited by `edit(facts)`."""
    old = facts()
    new = copy.deepcopy(old)
    edit(new)
    changes = classify(old, new)
    return changes.breaking, changes.compatible


@pytest.mark.parametrize(
    ("edit", "breaking"),
    [
        (lambda f: f["fields"]["description"].update(max_length=200), ["description: max length: 256 → 200"]),
        (lambda f: f["fields"]["merchant_id"].update(required=True), ["merchant_id: now required"]),
        (lambda f: f["fields"]["transaction_type"]["enum"].remove("TRANSFER"),
         ["transaction_type: allowed values: removed TRANSFER"]),
        (lambda f: f["currencies"].pop("CZK"), ["currencies: removed CZK"]),
        (lambda f: f["currencies"].update(EUR=1), ["currency EUR: fraction digits: 2 → 1"]),
        (lambda f: f["fields"].update(channel={**f["fields"]["account_id"], "required": True}),
         ["channel: new required field"]),
        (lambda f: f["limits"].update({"amount.max_integer_digits": 10}), ["amount.max_integer_digits: 12 → 10"]),
    ],
)
def test_a_tightened_rule_is_breaking(edit: Any, breaking: list[str]) -> None:
    assert changed(edit) == (breaking, [])


@pytest.mark.parametrize(
    ("edit", "compatible"),
    [
        (lambda f: f["fields"]["description"].update(max_length=512), ["description: max length: 256 → 512"]),
        (lambda f: f["currencies"].update(KRW=0), ["currencies: added KRW"]),
        (lambda f: f["fields"].update(channel=dict(f["fields"]["merchant_id"])), ["channel: new optional field"]),
        (lambda f: f["fields"]["transaction_type"]["enum"].append("REFUND"),
         ["transaction_type: allowed values: added REFUND"]),
    ],
)
def test_a_loosened_rule_or_new_optional_field_is_not_breaking(edit: Any, compatible: list[str]) -> None:
    assert changed(edit) == ([], compatible)


def test_a_narrower_pattern_is_breaking_and_a_wider_one_is_not() -> None:
    narrower = changed(lambda f: f["fields"]["account_id"].update(pattern="[A-Z0-9]{1,64}"))
    wider = changed(lambda f: f["fields"]["account_id"].update(pattern="[A-Za-z0-9_.-]{1,64}"))
    assert (len(narrower[0]), narrower[1]) == (1, [])
    assert narrower[0][0].startswith("account_id: pattern changed (rejects values valid before")
    assert (wider[0], len(wider[1])) == ([], 1)


@pytest.mark.parametrize(
    ("old", "new", "breaking", "problem"),
    [("1.0.0", "1.0.0", True, "breaking changes without a major version bump (1.0.0 → 1.0.0)"),
     ("1.0.0", "1.1.0", True, "breaking changes without a major version bump (1.0.0 → 1.1.0)"),
     ("1.0.0", "2.0.0", True, None),
     ("1.0.0", "1.0.1", False, "rule changes without a minor version bump (1.0.0 → 1.0.1)"),
     ("1.0.0", "1.1.0", False, None),
     ("1.2.0", "1.1.0", False, "the version went down (1.2.0 → 1.1.0)")],
)
def test_the_version_bump_must_fit_the_changes(old: str, new: str, breaking: bool, problem: str | None) -> None:
    changes = classify(facts(), facts())
    (changes.breaking if breaking else changes.compatible).append("a change")
    assert version_problems(old, new, changes) == ([problem] if problem else [])


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, timeout=60)


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """A throw-away git repository holding a copy of what the contract is generated from, committed."""
    for part in ("contract", "functions/txnpipe", "stacks", "docs/contract"):
        shutil.copytree(ROOT / part, tmp_path / part, ignore=shutil.ignore_patterns("__pycache__"))
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-qm", "base")
    return tmp_path


def run_diff(cwd: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "contract", "diff", "--base", "HEAD", *extra], cwd=cwd,
                          capture_output=True, text=True, check=False, timeout=120)


@pytest.mark.slow
def test_a_smaller_description_limit_in_a_checkout_is_flagged_breaking_and_unversioned(checkout: Path) -> None:
    # Given the committed contract, When MAX_DESCRIPTION_LENGTH is lowered in the working tree
    rules = checkout / "functions/txnpipe/domain/rules.py"
    rules.write_text(rules.read_text().replace("MAX_DESCRIPTION_LENGTH: Final = 256", "MAX_DESCRIPTION_LENGTH: Final = 200"))
    report, failing = run_diff(checkout), run_diff(checkout, "--fail-on", "breaking")
    # Then it is listed as breaking, the missing major bump is named, and --fail-on breaking fails
    assert "breaking (1):\n  - description: max length: 256 → 200\n" in report.stdout
    step = f"{CONTRACT_VERSION} → {CONTRACT_VERSION}"
    assert f"version: breaking changes without a major version bump ({step})" in report.stdout
    assert (report.returncode, failing.returncode) == (0, 1)


@pytest.mark.slow
def test_an_unchanged_checkout_has_no_changes(checkout: Path) -> None:
    report = run_diff(checkout, "--fail-on", "version")
    assert "breaking (0):\n  (none)\nnon-breaking (0):\n  (none)\n" in report.stdout
    assert report.returncode == 0

"""The README's partner walkthrough shows what the tool really prints for the example file."""

from __future__ import annotations

import re

from .distribution import PARTNER_CLI
from .runs import ROOT, validate

EXAMPLES = PARTNER_CLI / "examples"


def shown_output(command: str) -> list[str]:
    """The lines the partner section's first ``$ <command>`` console block shows after it."""
    section = ROOT.joinpath("README.md").read_text().split("## For partners: the first five minutes", 1)[1]
    after = section.split(f"$ {command}\n", 1)[1]
    return re.split(r"\n(?:\$ |```)", after, maxsplit=1)[0].splitlines()


def test_the_json_shown_is_what_the_example_gives() -> None:
    run = validate("transactions.csv", cwd=EXAMPLES)
    assert shown_output("txnpipe-validate transactions.csv") == run.stdout.splitlines()
    assert shown_output("echo $?") == [str(run.code)]


def test_the_text_report_shown_is_what_the_example_gives() -> None:
    run = validate("--format", "text", "transactions.csv", cwd=EXAMPLES)
    assert shown_output("txnpipe-validate --format text transactions.csv") == run.stdout.splitlines()

"""`make status` against the deployed workspace: the operator sees every dead-letter queue and every status."""

from __future__ import annotations

import subprocess
import sys

import pytest

from localcloud.deploy import ROOT
from localcloud.emulator import Emulator
from localcloud.scenario import Pipeline
from txnpipe.status import FileStatus

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def report(pipeline: Pipeline, emulator: Emulator) -> str:
    result = subprocess.run([sys.executable, "-m", "operations", "status", "--workspace", "local"], cwd=ROOT,
                            env={**emulator.client_env(), "PATH": "/usr/bin:/bin"}, capture_output=True, text=True,
                            timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_status_lists_every_dead_letter_queue_of_the_workspace(report: str, pipeline: Pipeline) -> None:
    listed = {line.split()[0] for line in report.split("dead-letter queues", 1)[1].splitlines()[1:] if line.strip()}
    assert listed == set(pipeline.dlq_depths()), report


def test_status_counts_files_in_every_status(report: str) -> None:
    section = report.split("files by status", 1)[1].split("\n\n", 1)[0]
    assert {line.split()[0] for line in section.splitlines() if line.strip()} == {s.value for s in FileStatus}, report

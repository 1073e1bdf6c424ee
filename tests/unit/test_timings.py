"""Per-resource durations read from real `terraform apply|destroy -json` output (localcloud.timings)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from localcloud.timings import ResourceTiming, TimingsError, resource_timings, slowest

# terraform_data and local-exec are built into terraform: no provider plugin needed.
CONFIG = """
resource "terraform_data" "quick" { input = "q" }
resource "terraform_data" "slow" {
  input = "s"
  provisioner "local-exec" { command = "sleep 2" }
}
"""


def _terraform(workdir: Path, *args: str) -> list[str]:
    result = subprocess.run(["terraform", *args, "-auto-approve", "-input=false", "-json"], cwd=workdir,
                            capture_output=True, text=True, timeout=120, check=True)
    return result.stdout.splitlines()


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    if shutil.which("terraform") is None:
        pytest.skip("TIMINGS TEST SKIPPED: terraform is not on PATH")
    (tmp_path / "main.tf").write_text(CONFIG)
    return tmp_path


@pytest.mark.terraform
def test_apply_and_destroy_durations_per_resource(workdir: Path) -> None:
    # Given a real apply and destroy of two resources, one of which takes two seconds
    applied = resource_timings("demo", _terraform(workdir, "apply"))
    destroyed = resource_timings("demo", _terraform(workdir, "destroy"))
    # Then every resource is there with its action, and the slow one shows its time
    assert {(t.address, t.action) for t in applied} == {("terraform_data.quick", "create"), ("terraform_data.slow", "create")}
    assert next(t.seconds for t in applied if t.address == "terraform_data.slow") >= 2
    assert {(t.address, t.action) for t in destroyed} == {("terraform_data.quick", "delete"), ("terraform_data.slow", "delete")}


def test_non_json_output_is_refused_with_its_line() -> None:
    with pytest.raises(TimingsError, match="processing: line 2 is not terraform JSON UI output"):
        resource_timings("processing", ['{"type": "version"}', "Apply complete! Resources: 1 added"])


def test_slowest_first_and_limited() -> None:
    timings = [ResourceTiming("s", f"r.{i}", "create", float(i)) for i in range(12)]
    top = slowest(timings, count=10)
    assert [t.address for t in top[:2]] == ["r.11", "r.10"]
    assert len(top) == 10

"""The cdktf CLI as the README shows it, against the emulator, sharing state with `make deploy`.

One deploy → diff → destroy round of prod's observability stack (the cheapest to re-create) through
`cdktf`, on the deployment the session applied with terraform: the CLI synthesizes into the same
output directory, so its stacks read and write the same state files.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass

import pytest

from localcloud.deploy import ROOT, Deployment
from localcloud.emulator import Emulator

pytestmark = pytest.mark.e2e

CDKTF = ROOT / "node_modules" / ".bin" / "cdktf"


def cdktf(deployment: Deployment, emulator: Emulator, *args: str) -> subprocess.CompletedProcess[str]:
    """`npx cdktf <args> --output <the deployment's outdir>` with the README's environment for `local`."""
    env = {**os.environ, **emulator.client_env(), "WORKSPACE": deployment.workspace, "TARGET": "local", "CI": "1",
           "CHECKPOINT_DISABLE": "1", "JSII_NODE": str(ROOT / "node_modules" / ".bin" / "node"),
           "TF_CLI_CONFIG_FILE": str(ROOT / "build" / "localcloud-terraform.rc"),
           "TF_PLUGIN_CACHE_DIR": str(ROOT / "build" / "tf-plugin-cache")}
    return subprocess.run([str(CDKTF), *args, "--output", str(deployment.outdir)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=900, check=False)


def _passed(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, f"cdktf failed ({result.returncode}):\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result.stdout


@dataclass
class RoundTrip:
    """What the CLI round left behind, step by step."""

    diff_before: str
    state_before: list[str]
    state_after_destroy: list[str]
    state_after_deploy: list[str]
    plan_exit_code_after: int


def _managed(addresses: list[str]) -> list[str]:
    return sorted(a for a in addresses if not a.startswith("data."))


@pytest.fixture(scope="module")
def round_trip(deployment: Deployment, emulator: Emulator) -> RoundTrip:
    """Given the four stacks applied by terraform; When the CLI diffs, destroys and re-deploys one stack."""
    stack = f"observability-{deployment.workspace}"
    diff_before = _passed(cdktf(deployment, emulator, "diff", stack))
    state_before = _managed(deployment.state_resources(stack))
    _passed(cdktf(deployment, emulator, "destroy", stack, "--auto-approve"))
    state_after_destroy = _managed(deployment.state_resources(stack))
    _passed(cdktf(deployment, emulator, "deploy", stack, "--auto-approve", "--ignore-missing-stack-dependencies"))
    return RoundTrip(diff_before, state_before, state_after_destroy, _managed(deployment.state_resources(stack)),
                     deployment.plan_exit_code(stack)[0])


def test_the_cli_diff_sees_what_terraform_applied(round_trip: RoundTrip) -> None:
    assert "No changes" in round_trip.diff_before


def test_cli_destroy_empties_the_shared_state(round_trip: RoundTrip) -> None:
    assert round_trip.state_after_destroy == []


def test_cli_deploy_restores_every_resource_in_the_shared_state(round_trip: RoundTrip) -> None:
    assert round_trip.state_after_deploy == round_trip.state_before


def test_after_the_cli_deploy_terraform_plans_clean(round_trip: RoundTrip) -> None:
    assert round_trip.plan_exit_code_after == 0


def test_cli_output_prints_the_stacks_outputs(deployment: Deployment, emulator: Emulator) -> None:
    # Given the raw bucket's name as terraform recorded it
    storage = f"storage-{deployment.workspace}"
    raw = deployment.terraform(storage, "output", "-raw", "raw_bucket")
    # When the CLI prints the storage stack's outputs
    out = _passed(cdktf(deployment, emulator, "output", storage))
    # Then the bucket the other stacks read is among them
    assert raw in out

"""A change to what a deployment snapshots (here: one gateway response template) redeploys the stage.

Synthesizes two small stacks in-process, each with only the partner REST API (no routes), that
differ in one gateway response, and compares their deployments' triggers in the synthesized JSON.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

import stacks  # noqa: F401  (registers the fast provider import)
from stacks.api.errors import GATEWAY_ERRORS, GatewayError

pytestmark = pytest.mark.slow


def synthesized_triggers(outdir: Path, variants: dict[str, tuple[GatewayError, ...]]) -> dict[str, str]:
    from cdktf import App, TerraformStack

    from stacks.api.gateway import PartnerApi

    app = App(outdir=str(outdir), skip_validation=True)  # no provider block: only the JSON is read
    for name, errors in variants.items():
        PartnerApi(TerraformStack(app, name), "rest", name="n", stage_name="s", routes=[], gateway_errors=errors,
                   kms_key_arn="arn:aws:kms:us-east-1:123456789012:key/k", log_retention_days=1)
    app.synth()
    triggers = {}
    for name in variants:
        tree = json.loads((outdir / "stacks" / name / "cdk.tf.json").read_text())
        (deployment,) = tree["resource"]["aws_api_gateway_deployment"].values()
        triggers[name] = deployment["triggers"]["redeployment"]
    return triggers


def test_changing_a_gateway_response_template_changes_the_deployment_trigger(tmp_path: Path) -> None:
    # Given the table and a copy whose BAD_REQUEST_BODY says something else
    changed = tuple(dataclasses.replace(e, message="body refused") if e.response_type == "BAD_REQUEST_BODY" else e
                    for e in GATEWAY_ERRORS)
    # When both are synthesized (and the table once more)
    triggers = synthesized_triggers(tmp_path, {"base": GATEWAY_ERRORS, "changed": changed, "again": GATEWAY_ERRORS})
    # Then the changed one has another trigger, and the same table the same trigger
    assert triggers["changed"] != triggers["base"]
    assert triggers["again"] == triggers["base"]

"""`make drift` against the deployed prod workspace: out-of-band changes are found, a re-apply clears them.

It changes two resources and re-applies the two stacks they belong to; the deployment is as
applied again afterwards.
"""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest

from localcloud.deploy import Deployment
from localcloud.review.drift import drift_workspace

pytestmark = pytest.mark.e2e

FUNCTION = "processing-{ws}/load-transactions/function"
VERSIONING = "storage-{ws}/raw/versioning"


def _declared(deployment: Deployment, stack: str, path: str) -> dict[str, Any]:
    """The synthesized body of the resource at construct `path`."""
    resources = json.loads((deployment.stack_dir(stack) / "cdk.tf.json").read_text())["resource"]
    return next(body for named in resources.values() for body in named.values()
                if body["//"]["metadata"]["path"] == path)


@pytest.fixture(scope="module")
def drift(deployment: Deployment) -> tuple[dict[str, Any], dict[str, Any]]:
    """Given a function's memory changed and a bucket's versioning suspended with boto3, out of band;
    When drift is checked, then both stacks re-applied, then drift is checked again."""
    ws = deployment.workspace
    function = _declared(deployment, f"processing-{ws}", FUNCTION.format(ws=ws))
    bucket = deployment.terraform(f"storage-{ws}", "output", "-raw", "raw_bucket")
    boto3.client("lambda").update_function_configuration(FunctionName=function["function_name"],
                                                         MemorySize=function["memory_size"] // 2)
    boto3.client("s3").put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Suspended"})
    before = drift_workspace(deployment)
    deployment.apply([f"storage-{ws}", f"processing-{ws}"])
    return before, drift_workspace(deployment)


def _drifted(report: dict[str, Any]) -> dict[str, list[str]]:
    return {d["construct_path"]: d["attributes"] for found in report.values() if isinstance(found, list) for d in found}


def test_drift_names_the_changed_function_and_its_memory(drift: tuple[dict[str, Any], dict[str, Any]],
                                                         deployment: Deployment) -> None:
    assert "memory_size" in _drifted(drift[0]).get(FUNCTION.format(ws=deployment.workspace), [])


def test_drift_names_the_suspended_versioning(drift: tuple[dict[str, Any], dict[str, Any]], deployment: Deployment) -> None:
    assert "versioning_configuration[0].status" in _drifted(drift[0]).get(VERSIONING.format(ws=deployment.workspace), [])


def test_drift_finds_nothing_else(drift: tuple[dict[str, Any], dict[str, Any]], deployment: Deployment) -> None:
    ws = deployment.workspace
    assert set(_drifted(drift[0])) == {FUNCTION.format(ws=ws), VERSIONING.format(ws=ws)}


def test_after_a_re_apply_there_is_no_drift(drift: tuple[dict[str, Any], dict[str, Any]]) -> None:
    assert _drifted(drift[1]) == {}

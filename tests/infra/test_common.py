"""Properties every stack shares: tags, names, state, no machine paths."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest

from tests.synth import ROOT, Synth

NAME_ATTRIBUTES = ("name", "bucket", "function_name", "layer_name", "name_prefix")
SCOPED_NAMES = ("aws_iam_role_policy", "aws_glue_catalog_table", "aws_api_gateway_model")
REQUIRED_TAGS = {"Project", "Environment", "Stack", "ManagedBy", "CostCenter"}


def strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from strings(v)


def test_all_four_stacks_exist(local: Synth) -> None:
    stacks = sorted(p.name for p in (local.outdir / "stacks").iterdir())
    assert stacks == ["api-local", "observability-local", "processing-local", "storage-local"]


@pytest.mark.parametrize("workspace", ["local", "prod"])
def test_provider_tags_every_resource_with_project_workspace_and_cost_center(synth_of, workspace: str) -> None:  # type: ignore[no-untyped-def]
    synth = synth_of(workspace)
    for concern in synth.concerns:
        (provider,) = synth.stack(concern)["provider"]["aws"]
        tags = provider["default_tags"][0]["tags"]
        assert set(tags) >= REQUIRED_TAGS, concern
        assert tags["Environment"] == workspace and tags["Stack"] == concern


def test_no_resource_overrides_the_default_tags_away(local: Synth) -> None:
    for concern, type_, name, body in local.all_resources():
        assert "tags" not in body or REQUIRED_TAGS.isdisjoint(body["tags"]), (concern, type_, name)


@pytest.mark.parametrize("workspace", ["local", "prod"])
def test_every_physical_name_carries_the_workspace(synth_of, workspace: str) -> None:  # type: ignore[no-untyped-def]
    synth = synth_of(workspace)
    checked = 0
    for concern, type_, name, body in synth.all_resources():
        for attribute in NAME_ATTRIBUTES:
            value = body.get(attribute)
            # Inline role policies, Glue tables and API models are named within their role/database/API.
            if isinstance(value, str) and not value.startswith("${") and type_ not in SCOPED_NAMES:
                # Glue/Athena names use "_" (hyphens need quoting in SQL); API Gateway's execution
                # log group is named after the stage, which is the workspace.
                assert any(f"{sep}{workspace}" in value for sep in "-_/"), (concern, type_, name, value)
                checked += 1
    assert checked >= 10


def test_only_local_talks_to_the_emulator(local: Synth, prod: Synth) -> None:
    (local_provider,) = local.stack("storage")["provider"]["aws"]
    assert local_provider["endpoints"][0]["s3"] == "http://127.0.0.1:4566"
    assert local_provider["skip_credentials_validation"] is True
    (prod_provider,) = prod.stack("storage")["provider"]["aws"]
    assert "endpoints" not in prod_provider and "skip_credentials_validation" not in prod_provider
    assert prod_provider["region"] == "us-east-1"


def test_state_is_per_workspace_with_relative_paths(local: Synth, prod: Synth) -> None:
    for synth in (local, prod):
        for concern in synth.concerns:
            path = synth.stack(concern)["terraform"]["backend"]["local"]["path"]
            assert path == f"../../../.state/{synth.workspace}/{concern}-{synth.workspace}.tfstate"


def test_no_machine_path_leaks_into_the_synthesized_json(local: Synth) -> None:
    machine = re.compile(r"(^|[\s\"'=])/(home|root|tmp|work|Users|var/folders)/")
    for concern in local.concerns:
        text = (local.stack_dir(concern) / "cdk.tf.json").read_text()
        assert str(ROOT) not in text and str(local.outdir) not in text, concern
        for value in strings(json.loads(text)):
            assert not machine.search(value), (concern, value)


def test_log_groups_keep_logs_for_the_workspace_retention_with_the_cmk(local: Synth, prod: Synth) -> None:
    for synth, days in ((local, 7), (prod, 365)):
        groups = [body for _, type_, _, body in synth.all_resources() if type_ == "aws_cloudwatch_log_group"]
        assert groups
        for group in groups:
            assert group["retention_in_days"] == days
            assert "aws_kms_key" in group["kms_key_id"]


def test_cross_stack_references_go_through_generated_outputs(local: Synth) -> None:
    storage_outputs = local.stack("storage")["output"]
    assert any(name.startswith("cross-stack-output-") for name in storage_outputs)
    remote = local.stack("processing")["data"]["terraform_remote_state"]
    (reference,) = remote.values()
    assert reference["config"]["path"] == "../../../.state/local/storage-local.tfstate"

"""Every workspace applies into the emulator with only the endpoint differing; review workspaces fit every limit."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.synth import Synth, run_synth

# What pointing the provider at the emulator adds (stacks/base.py): endpoints, and no account/credential checks.
EMULATOR_ONLY = {"endpoints", "skip_credentials_validation", "skip_requesting_account_id", "skip_metadata_api_check",
                 "skip_region_validation", "s3_use_path_style"}


def _without_provider_target(stack: dict[str, Any]) -> dict[str, Any]:
    stack = json.loads(json.dumps(stack))
    for provider in stack["provider"]["aws"]:
        for key in EMULATOR_ONLY:
            provider.pop(key, None)
    return stack


@pytest.fixture(scope="module")
def prod_on_emulator(tmp_path_factory: pytest.TempPathFactory) -> Synth:
    outdir: Path = tmp_path_factory.mktemp("synth-prod-local")
    run_synth("prod", outdir, extra_env={"TARGET": "local"})
    return Synth(outdir, "prod")


@pytest.mark.parametrize("concern", ["storage", "processing", "api", "observability"])
def test_prod_on_the_emulator_differs_from_prod_on_aws_only_in_the_provider_endpoint(
        prod: Synth, prod_on_emulator: Synth, concern: str) -> None:
    # Given prod synthesized for AWS and for the emulator
    # Then, the provider's endpoint settings aside, every stack is the same JSON
    assert _without_provider_target(prod_on_emulator.stack(concern)) == prod.stack(concern)


def test_prod_on_the_emulator_points_every_service_at_it(prod_on_emulator: Synth) -> None:
    endpoints = prod_on_emulator.stack("storage")["provider"]["aws"][0]["endpoints"][0]
    assert set(endpoints.values()) == {"http://127.0.0.1:4566"}


def test_the_longest_review_workspace_synthesizes_within_every_name_limit(
        tmp_path_factory: pytest.TempPathFactory) -> None:
    # Given the longest review workspace name (Namer refuses any name over a service's limit at synth)
    outdir: Path = tmp_path_factory.mktemp("synth-pr")
    # When it is synthesized
    run_synth("pr-999999", outdir)
    # Then its four stacks exist under its own name
    assert sorted(p.name for p in (outdir / "stacks").iterdir()) == [
        f"{c}-pr-999999" for c in ("api", "observability", "processing", "storage")]

"""Every synthesized stack passes `terraform init` (plugin mirror) and `terraform validate`."""

from __future__ import annotations

import pytest

from tests.synth import Synth
from tests.tf import terraform, terraform_env

pytestmark = pytest.mark.terraform


@pytest.mark.parametrize("workspace", ["local", "prod"])
@pytest.mark.parametrize("concern", ["storage", "processing", "api", "observability"])
def test_stack_validates_with_aws_5_100(synth_of, concern: str, workspace: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    synth: Synth = synth_of(workspace)
    env = terraform_env(tmp_path)
    workdir = synth.stack_dir(concern)
    init = terraform(["init", "-backend=false", "-input=false"], cwd=workdir, env=env)
    assert "hashicorp/aws v5.100.0" in init
    assert "Success! The configuration is valid." in terraform(["validate"], cwd=workdir, env=env)

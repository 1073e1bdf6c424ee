"""State in S3 when TF_STATE_BUCKET is set: keys per workspace, encryption, native locking."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.synth import run_synth


@pytest.fixture(scope="module")
def s3_synth(tmp_path_factory: pytest.TempPathFactory) -> Path:
    outdir = tmp_path_factory.mktemp("synth-s3")
    run_synth("staging", outdir, extra_env={"TF_STATE_BUCKET": "acme-tfstate"})
    return outdir


def test_s3_backend_has_workspace_key_encryption_and_lockfile(s3_synth: Path) -> None:
    for concern in ("storage", "processing", "api", "observability"):
        stack = json.loads((s3_synth / "stacks" / f"{concern}-staging" / "cdk.tf.json").read_text())
        backend = stack["terraform"]["backend"]["s3"]
        assert backend == {"bucket": "acme-tfstate", "key": f"txnpipe/staging/{concern}.tfstate",
                           "region": "us-east-1", "encrypt": True, "use_lockfile": True}


def test_cross_stack_reads_use_the_same_s3_state(s3_synth: Path) -> None:
    stack = json.loads((s3_synth / "stacks" / "processing-staging" / "cdk.tf.json").read_text())
    (reference,) = stack["data"]["terraform_remote_state"].values()
    assert reference["backend"] == "s3"
    assert reference["config"]["bucket"] == "acme-tfstate"
    assert reference["config"]["key"] == "txnpipe/staging/storage.tfstate"

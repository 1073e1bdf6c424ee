"""End-to-end, the users' daily loop: prod and a review workspace (pr-1) applied side by side into one emulator.

prod is synthesized with TARGET=local: its own settings (deletion protection, retention, reserved
concurrency), only the endpoint and credentials differ. The session's teardown destroys what is left of
pr-1, then prod: its other stacks, then its protection lifted the way an operator would for a test
account (deletion protection off on its tables, its buckets emptied, which force_destroy does not do
for prod), then its storage stack; nothing of either workspace may remain.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import boto3
import pytest

from localcloud.deploy import ROOT, Deployment
from localcloud.emulator import Emulator
from tests.e2e import fixtures
from tests.e2e.leftovers import leftovers, of_workspace

# The shared session fixtures (one emulator per process; its faults fail the session).
emulator = fixtures.emulator
no_emulator_faults = fixtures.no_emulator_faults


DAILY_DIR = ROOT / "build" / "localcloud" / "e2e-daily"
WORKSPACES = ("prod", "pr-1")


def _deployment(emulator: Emulator, workspace: str) -> Deployment:
    outdir = DAILY_DIR / workspace / "cdktf.out"
    deployment = Deployment(workspace=workspace, outdir=outdir, extra_env={"AWS_ENDPOINT_URL": emulator.endpoint,
                                                                           "TARGET": "local"},
                            log_dir=outdir.parent / "terraform-logs")
    deployment.synth()
    shutil.rmtree(deployment.state_dir(), ignore_errors=True)
    deployment.apply()
    return deployment


def lift_protection(workspace: str) -> None:
    """What destroying a protected workspace on purpose takes, once only its storage stack is left:
    deletion protection off on its tables, its buckets' logging off (each delete below would otherwise be
    logged into the access-log bucket) and every object version deleted."""
    dynamodb, s3 = boto3.client("dynamodb"), boto3.client("s3")
    for table in dynamodb.list_tables()["TableNames"]:
        if of_workspace(table, workspace):
            dynamodb.update_table(TableName=table, DeletionProtectionEnabled=False)
    buckets = [b["Name"] for b in s3.list_buckets()["Buckets"] if of_workspace(b["Name"], workspace)]
    for bucket in buckets:
        s3.put_bucket_logging(Bucket=bucket, BucketLoggingStatus={})
    for bucket in buckets:
        for page in s3.get_paginator("list_object_versions").paginate(Bucket=bucket):
            versions: list[Any] = page.get("Versions", []) + page.get("DeleteMarkers", [])
            for version in versions:
                s3.delete_object(Bucket=bucket, Key=version["Key"], VersionId=version["VersionId"])


def destroy_protected(deployment: Deployment) -> None:
    """Destroy every stack but storage, lift storage's protection, then destroy storage."""
    storage = [s for s in deployment.stacks() if s.startswith("storage-")]
    deployment.destroy([s for s in deployment.stacks() if s not in storage])
    lift_protection(deployment.workspace)
    deployment.destroy(storage)


@pytest.fixture(scope="session")
def workspaces(emulator: Emulator) -> Iterator[dict[str, Deployment]]:
    """prod and pr-1, synthesized and applied side by side (each its own outdir and state)."""
    with ThreadPoolExecutor(max_workers=len(WORKSPACES)) as pool:
        futures = {ws: pool.submit(_deployment, emulator, ws) for ws in WORKSPACES}
    deployed = {ws: future.result() for ws, future in futures.items()}
    yield deployed
    if any(deployed["pr-1"].state_resources(stack) for stack in deployed["pr-1"].stacks()):
        deployed["pr-1"].destroy()
    destroy_protected(deployed["prod"])
    left = {ws: leftovers(d) for ws, d in deployed.items()}
    if any(left.values()):
        pytest.fail(f"terraform destroy left resources behind: {left}", pytrace=False)


@pytest.fixture(scope="session")
def deployment(workspaces: dict[str, Deployment]) -> Deployment:
    """The daily loop's workspace: prod."""
    return workspaces["prod"]

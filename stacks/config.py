"""Per-workspace configuration: one frozen, typed record per workspace.

Everything that differs between workspaces is written out here explicitly, so a
reviewer can read the difference between `dev` and `prod` in one place.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

PROJECT = "txnpipe"
DEFAULT_LOCAL_ENDPOINT = "http://127.0.0.1:4566"
KIB, MIB = 1024, 1024 * 1024


@dataclass(frozen=True, kw_only=True)
class WorkspaceConfig:
    """Settings of one workspace (an isolated deployment of the whole pipeline)."""

    name: str
    region: str = "us-east-1"
    log_retention_days: int
    deletion_protection: bool
    alert_email: str
    cost_center: str
    # The AWS account (a label) and its Lambda ConcurrentExecutions quota in `region`: workspaces that
    # share an account share the quota; per-function reservations are on each FunctionSpec (stacks/quotas.py).
    aws_account: str
    lambda_concurrency_quota: int
    # Manages its account's account-wide settings (API Gateway's CloudWatch logging role): one
    # setting per account and region, so exactly one workspace per account may own it.
    owns_account_settings: bool
    # Where the provider points: None is real AWS; a URL is the local emulator (`local` always,
    # any other workspace with TARGET=local). Nothing else differs between the two targets.
    endpoint_url: str | None = None
    extra_tags: Mapping[str, str] = field(default_factory=dict)
    # File pipeline scale-out: files over large_file_bytes go through the Distributed Map in
    # row-aligned chunk_bytes ranges (real workspaces: the SLA is stated for files up to 100 MB).
    large_file_bytes: int
    chunk_bytes: int

    @property
    def is_local(self) -> bool:
        """True when the provider points at the local AWS emulator."""
        return self.endpoint_url is not None

    @property
    def force_destroy(self) -> bool:
        """Buckets may be emptied on destroy everywhere except protected workspaces."""
        return not self.deletion_protection


def _workspaces(region: str) -> dict[str, WorkspaceConfig]:
    return {
        "local": WorkspaceConfig(
            name="local", region=region, log_retention_days=7, deletion_protection=False,
            alert_email="alerts-local@example.com", cost_center="engineering",
            aws_account="emulator", lambda_concurrency_quota=1000, owns_account_settings=True,
            # Lowered so the e2e suite takes the Distributed Map path with small files.
            large_file_bytes=256 * KIB, chunk_bytes=64 * KIB,
        ),
        "dev": WorkspaceConfig(
            name="dev", region=region, log_retention_days=14, deletion_protection=False,
            alert_email="payments-dev-alerts@example.com", cost_center="engineering",
            aws_account="payments-nonprod", lambda_concurrency_quota=1000, owns_account_settings=True,
            large_file_bytes=100 * MIB, chunk_bytes=64 * MIB,
        ),
        "staging": WorkspaceConfig(
            name="staging", region=region, log_retention_days=30, deletion_protection=False,
            alert_email="payments-staging-alerts@example.com", cost_center="payments",
            aws_account="payments-nonprod", lambda_concurrency_quota=1000,
            owns_account_settings=False,  # dev owns payments-nonprod's
            large_file_bytes=100 * MIB, chunk_bytes=64 * MIB,
        ),
        "prod": WorkspaceConfig(
            name="prod", region=region, log_retention_days=365, deletion_protection=True,
            alert_email="payments-oncall@example.com", cost_center="payments",
            aws_account="payments-prod", lambda_concurrency_quota=1000, owns_account_settings=True,
            large_file_bytes=100 * MIB, chunk_bytes=64 * MIB,
        ),
    }


WORKSPACE_NAMES = ("local", "dev", "staging", "prod")
#: Short-lived review workspaces, one per pull request: `pr-<number>`, derived from dev.
REVIEW_WORKSPACE = re.compile(r"pr-[1-9][0-9]{0,5}")
REVIEW_LOG_RETENTION_DAYS = 3  # a review environment lives for days, not weeks
TARGETS = ("aws", "local")


def review_workspace(name: str, dev: WorkspaceConfig) -> WorkspaceConfig:
    """`pr-<n>`: dev's settings under its own name (so its own resources and state), shorter log retention;
    it shares dev's account and leaves the account-wide settings to dev."""
    return replace(dev, name=name, log_retention_days=REVIEW_LOG_RETENTION_DAYS, owns_account_settings=False,
                   extra_tags={**dev.extra_tags, "ReviewOf": f"pull request {name.removeprefix('pr-')}"})


def _target(name: str, env: Mapping[str, str]) -> str:
    target = env.get("TARGET") or ("local" if name == "local" else "aws")
    if target not in TARGETS:
        raise ValueError(f"unknown TARGET {target!r}; expected one of {', '.join(TARGETS)}")
    if name == "local" and target != "local":
        raise ValueError("WORKSPACE=local exists only in the local emulator; use TARGET=local (the default)")
    return target


def load_config(env: Mapping[str, str] | None = None) -> WorkspaceConfig:
    """Select the workspace from `WORKSPACE` (default `local`) and where it runs from `TARGET`.

    `TARGET=local` (the default for `local` only) points any workspace at the emulator at
    `AWS_ENDPOINT_URL` (default http://127.0.0.1:4566): prod's own settings, applied locally.
    `AWS_REGION` sets the region.
    """
    env = os.environ if env is None else env
    name = env.get("WORKSPACE", "local")
    workspaces = _workspaces(region=env.get("AWS_REGION", "us-east-1"))
    if name in workspaces:
        config = workspaces[name]
    elif REVIEW_WORKSPACE.fullmatch(name):
        config = review_workspace(name, workspaces["dev"])
    else:
        raise ValueError(f"unknown WORKSPACE {name!r}; expected one of {', '.join(WORKSPACE_NAMES)} or pr-<number>")
    local = _target(name, env) == "local"
    return replace(config, endpoint_url=env.get("AWS_ENDPOINT_URL", DEFAULT_LOCAL_ENDPOINT) if local else None)


def all_configs(env: Mapping[str, str] | None = None) -> list[WorkspaceConfig]:
    """Every long-lived workspace's config (for checks across workspaces, e.g. a shared account's quotas)."""
    env = os.environ if env is None else env
    return list(_workspaces(region=env.get("AWS_REGION", "us-east-1")).values())

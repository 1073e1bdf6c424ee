"""Workspace configuration: explicit differences, clear errors, names within limits."""

from __future__ import annotations

import dataclasses

import pytest

from stacks.config import load_config
from stacks.naming import Namer, Service


def test_default_workspace_is_local_pointing_at_the_emulator() -> None:
    config = load_config({})
    assert config.name == "local" and config.endpoint_url == "http://127.0.0.1:4566"
    assert load_config({"AWS_ENDPOINT_URL": "http://127.0.0.1:5000"}).endpoint_url == "http://127.0.0.1:5000"


def test_only_prod_is_protected_and_real_workspaces_have_no_endpoint() -> None:
    configs = {n: load_config({"WORKSPACE": n}) for n in ("local", "dev", "staging", "prod")}
    assert [n for n, c in configs.items() if c.deletion_protection] == ["prod"]
    assert [n for n, c in configs.items() if c.is_local] == ["local"]
    assert configs["prod"].log_retention_days > configs["dev"].log_retention_days


def test_configs_are_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        load_config({}).name = "x"  # type: ignore[misc]


def test_unknown_workspace_is_named_in_the_error() -> None:
    with pytest.raises(ValueError, match=r"'qa'.*local, dev, staging, prod"):
        load_config({"WORKSPACE": "qa"})


def test_names_over_a_service_limit_are_refused() -> None:
    with pytest.raises(ValueError, match="limit is 64"):
        Namer("staging").name("x" * 60, Service.LAMBDA)
    with pytest.raises(ValueError, match="refuses"):
        Namer("dev").name("Upper_Case", Service.S3)

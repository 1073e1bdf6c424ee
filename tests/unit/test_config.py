"""Workspace configuration: explicit differences, clear errors, names within limits."""

from __future__ import annotations

import dataclasses

import pytest

from stacks.config import all_configs, load_config
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


def test_target_local_points_any_workspace_at_the_emulator_with_its_own_settings() -> None:
    # Given prod's config for AWS and for the emulator
    aws, local = load_config({"WORKSPACE": "prod"}), load_config({"WORKSPACE": "prod", "TARGET": "local"})
    # Then only the endpoint differs
    assert (dataclasses.replace(local, endpoint_url=None), local.endpoint_url) == (aws, "http://127.0.0.1:4566")


def test_the_local_workspace_exists_only_in_the_emulator() -> None:
    with pytest.raises(ValueError, match="exists only in the local emulator"):
        load_config({"WORKSPACE": "local", "TARGET": "aws"})


def test_an_unknown_target_is_named() -> None:
    with pytest.raises(ValueError, match=r"'staging-cloud'.*aws, local"):
        load_config({"WORKSPACE": "dev", "TARGET": "staging-cloud"})


def test_a_review_workspace_is_dev_under_its_own_name() -> None:
    # Given the review workspace of pull request 42
    review, dev = load_config({"WORKSPACE": "pr-42"}), load_config({"WORKSPACE": "dev"})
    # Then it keeps dev's settings but its name, a shorter log retention, a tag naming the pull request,
    # and dev's ownership of the account-wide settings
    assert dataclasses.replace(review, name="dev", log_retention_days=dev.log_retention_days, extra_tags={},
                               owns_account_settings=True) == dev


def test_a_review_workspace_is_tagged_with_its_pull_request() -> None:
    assert load_config({"WORKSPACE": "pr-42"}).extra_tags == {"ReviewOf": "pull request 42"}


@pytest.mark.parametrize("name", ["pr-0", "pr-01", "pr-1234567", "pr-x", "PR-1"])
def test_a_malformed_review_workspace_is_refused(name: str) -> None:
    with pytest.raises(ValueError, match="pr-<number>"):
        load_config({"WORKSPACE": name})


def test_each_account_has_exactly_one_owner_of_its_account_settings() -> None:
    # Given every long-lived workspace, grouped by the AWS account it deploys into
    owners: dict[str, list[str]] = {}
    for config in all_configs({}):
        owners.setdefault(config.aws_account, []).extend([config.name] if config.owns_account_settings else [])
    # Then each account's API Gateway logging setting is managed by one workspace
    assert owners == {"emulator": ["local"], "payments-nonprod": ["dev"], "payments-prod": ["prod"]}


def test_a_review_workspace_leaves_the_account_settings_to_dev() -> None:
    assert load_config({"WORKSPACE": "pr-3"}).owns_account_settings is False

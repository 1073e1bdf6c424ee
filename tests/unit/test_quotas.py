"""Account-level Lambda concurrency: the workspaces as configured fit their accounts; an over-budget config fails synth.

AWS keeps 100 of an account's regional `ConcurrentExecutions` unreserved (AWS Lambda API Reference,
PutFunctionConcurrency; Developer Guide "Configuring reserved concurrency for a function").
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest

from stacks.api.stack import AGGREGATOR, ANOMALY_DETECTOR, API_INGEST, API_STATUS, API_UPLOADS
from stacks.config import all_configs, load_config
from stacks.constructs.python_function import FunctionSpec
from stacks.processing.definition import Targets, definition
from stacks.processing.functions import LOAD, MERGE, PLAN, REGISTER, SLA_MONITOR, STATUS, SUMMARIZE, VALIDATE
from stacks.quotas import MIN_UNRESERVED, ConcurrencyQuotaError, Reservation, check_account_concurrency

SPECS: tuple[FunctionSpec, ...] = (REGISTER, STATUS, VALIDATE, PLAN, MERGE, LOAD, SUMMARIZE, SLA_MONITOR,
                                   API_INGEST, API_UPLOADS, API_STATUS, ANOMALY_DETECTOR, AGGREGATOR)


def _reservations(specs: tuple[FunctionSpec, ...] = SPECS) -> dict[str, Reservation]:
    return {s.name: s.reservation for s in specs if s.reservation}


def test_the_configured_workspaces_fit_their_accounts() -> None:
    # Given every workspace and the pipeline's 13 functions, When checked, Then nothing is raised.
    check_account_concurrency(all_configs({}), _reservations())


def test_prod_reserves_far_less_than_its_quota() -> None:
    prod = load_config({"WORKSPACE": "prod"})
    total = sum(s.reserved_concurrency("prod") or 0 for s in SPECS)
    assert total <= prod.lambda_concurrency_quota - MIN_UNRESERVED


def test_staging_shares_its_account_with_dev() -> None:
    configs = {c.name: c for c in all_configs({})}
    assert configs["staging"].aws_account == configs["dev"].aws_account != configs["prod"].aws_account


def test_only_functions_with_a_reason_reserve() -> None:
    reserved = sorted(s.name for s in SPECS if s.reservation)
    assert reserved == ["api_ingest", "load_transactions"]


def test_the_old_flat_reservation_would_fail_in_prod() -> None:
    # Given every function reserving 100 in prod (the old config: 1,300 of 1,000), When checked, Then it fails
    # naming the account, the quota, the sum and every function.
    flat = {s.name: Reservation(per_workspace={"prod": 100}, reason="flat") for s in SPECS}
    with pytest.raises(ConcurrencyQuotaError) as error:
        check_account_concurrency(all_configs({}), flat)
    message = str(error.value)
    assert "'payments-prod'" in message
    assert "1300 exceeds quota 1000" in message
    assert all(f"prod/{s.name}=100" in message for s in SPECS)


def test_workspaces_sharing_an_account_are_summed() -> None:
    # Given 450 in dev and 451 in staging (each alone fits 900), When checked, Then the shared account overflows.
    split = {"a": Reservation(per_workspace={"dev": 450}, reason="r"),
             "b": Reservation(per_workspace={"staging": 451}, reason="r")}
    with pytest.raises(ConcurrencyQuotaError, match=r"'payments-nonprod'.*901 exceeds.*dev/a=450, staging/b=451"):
        check_account_concurrency(all_configs({}), split)


def test_exactly_quota_minus_100_is_accepted() -> None:
    check_account_concurrency(all_configs({}), {"a": Reservation(per_workspace={"prod": 900}, reason="r")})


def test_a_raised_quota_is_honoured() -> None:
    configs = [dataclasses.replace(c, lambda_concurrency_quota=2000) if c.name == "prod" else c
               for c in all_configs({})]
    check_account_concurrency(configs, {"a": Reservation(per_workspace={"prod": 1900}, reason="r")})


def test_conflicting_quotas_for_one_account_are_refused() -> None:
    configs = [dataclasses.replace(c, lambda_concurrency_quota=5000) if c.name == "dev" else c
               for c in all_configs({})]
    with pytest.raises(ConcurrencyQuotaError, match="different concurrency quotas"):
        check_account_concurrency(configs, {})


def test_a_reservation_needs_a_reason_and_a_non_negative_value() -> None:
    with pytest.raises(ValueError, match="reason"):
        Reservation(per_workspace={"prod": 1}, reason=" ")
    with pytest.raises(ValueError, match=">= 0"):
        Reservation(per_workspace={"prod": -1}, reason="r")


# Targets field -> the function behind it (the others are not Lambda functions).
TARGET_FUNCTIONS = {"register": "register_file", "status": "file_status", "validate": "validate_file",
                    "plan_chunks": "plan_chunks", "merge_chunks": "merge_chunks", "load": "load_transactions",
                    "summarize": "summarize_quarantine"}


def _map_concurrency_by_function() -> dict[str, int]:
    """Largest Map MaxConcurrency whose iterations invoke each function (ARN placeholders carry the names)."""
    targets = Targets(**{f.name: f"fn:{TARGET_FUNCTIONS.get(f.name, f.name)}" for f in dataclasses.fields(Targets)})
    found: dict[str, int] = {}

    def walk(states: dict[str, Any], width: int) -> None:
        for state in states.values():
            resource = str(state.get("Resource", ""))
            if resource.startswith("fn:") and width:
                found[resource[3:]] = max(found.get(resource[3:], 0), width)
            for branch in state.get("Branches", []):
                walk(branch["States"], width)
            if "ItemProcessor" in state:  # MaxConcurrency 0 or absent: as many as the map allows
                walk(state["ItemProcessor"]["States"], int(state.get("MaxConcurrency", 0)) or 10_000)

    walk(json.loads(definition(targets))["States"], 0)
    return found


def _throttled(specs: tuple[FunctionSpec, ...]) -> list[tuple[str, str, int, int]]:
    widths = _map_concurrency_by_function()
    return [(s.name, w, n, widths[s.name]) for s in specs if s.reservation
            for w, n in s.reservation.per_workspace.items() if n < widths.get(s.name, 0)]


def test_the_check_sees_the_load_map() -> None:
    assert _map_concurrency_by_function()["load_transactions"] == 8


def test_no_reservation_throttles_a_map_that_calls_the_function() -> None:
    # A reservation is also a ceiling: below a Map's MaxConcurrency the map throttles itself.
    assert _throttled(SPECS) == []


def test_a_reservation_below_the_map_width_is_found() -> None:
    # Mutation: load_transactions reserving 4 under a MaxConcurrency of 8.
    low = dataclasses.replace(LOAD, reservation=Reservation(per_workspace={"prod": 4}, reason="r"))
    assert _throttled((low,)) == [("load_transactions", "prod", 4, 8)]

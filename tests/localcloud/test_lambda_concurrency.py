"""Lambda account concurrency: the emulator refuses what AWS refuses (100 must stay unreserved)."""

from __future__ import annotations

from collections.abc import Iterator

import boto3
import pytest
from botocore.exceptions import ClientError

from localcloud.emulator import Emulator
from localcloud.patches import lambda_concurrency
from tests.localcloud.helpers import function

HANDLER = "def handler(event, context):\n    return event\n"


@pytest.fixture
def quota_300() -> Iterator[None]:
    """An account quota of 300 (200 reservable); every reservation made in the test is removed afterwards."""
    lambda_concurrency.QUOTA_OVERRIDE = 300
    try:
        yield
    finally:
        lambda_concurrency.QUOTA_OVERRIDE = None
        lam = boto3.client("lambda")
        for fn in lam.list_functions()["Functions"]:
            lam.delete_function_concurrency(FunctionName=fn["FunctionName"])


def _fn(name: str) -> str:
    lam = boto3.client("lambda")
    try:
        lam.get_function(FunctionName=name)
    except lam.exceptions.ResourceNotFoundException:
        function(name, HANDLER)
    return name


def test_default_quota_is_aws_default(emulator: Emulator, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(lambda_concurrency.QUOTA_ENV, raising=False)
    limit = boto3.client("lambda").get_account_settings()["AccountLimit"]
    assert limit["ConcurrentExecutions"] == 1000


def test_quota_comes_from_the_environment(emulator: Emulator, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(lambda_concurrency.QUOTA_ENV, "3000")
    assert boto3.client("lambda").get_account_settings()["AccountLimit"]["ConcurrentExecutions"] == 3000


def test_reserving_down_to_exactly_100_unreserved_is_accepted(emulator: Emulator, quota_300: None) -> None:
    lam = boto3.client("lambda")
    lam.put_function_concurrency(FunctionName=_fn("lc-conc-a"), ReservedConcurrentExecutions=150)
    lam.put_function_concurrency(FunctionName=_fn("lc-conc-b"), ReservedConcurrentExecutions=50)
    assert lam.get_account_settings()["AccountLimit"]["UnreservedConcurrentExecutions"] == 100


def test_one_more_is_refused_with_aws_error(emulator: Emulator, quota_300: None) -> None:
    # Given 150 + 50 reserved of 300, When a third function asks for 1, Then AWS's error and nothing changes.
    lam = boto3.client("lambda")
    lam.put_function_concurrency(FunctionName=_fn("lc-conc-a"), ReservedConcurrentExecutions=150)
    lam.put_function_concurrency(FunctionName=_fn("lc-conc-b"), ReservedConcurrentExecutions=50)
    with pytest.raises(ClientError) as error:
        lam.put_function_concurrency(FunctionName=_fn("lc-conc-c"), ReservedConcurrentExecutions=1)
    assert error.value.response["Error"]["Code"] == "InvalidParameterValueException"
    assert error.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert error.value.response["Error"]["Message"] == lambda_concurrency.BELOW_MINIMUM
    assert "ReservedConcurrentExecutions" not in lam.get_function_concurrency(FunctionName="lc-conc-c")


def test_changing_a_reservation_replaces_it(emulator: Emulator, quota_300: None) -> None:
    # 200 then 200 again on the same function is 200 reserved, not 400.
    lam = boto3.client("lambda")
    lam.put_function_concurrency(FunctionName=_fn("lc-conc-a"), ReservedConcurrentExecutions=200)
    lam.put_function_concurrency(FunctionName="lc-conc-a", ReservedConcurrentExecutions=200)
    assert lam.get_function_concurrency(FunctionName="lc-conc-a")["ReservedConcurrentExecutions"] == 200


def test_deleting_a_reservation_returns_it_to_the_pool(emulator: Emulator, quota_300: None) -> None:
    lam = boto3.client("lambda")
    lam.put_function_concurrency(FunctionName=_fn("lc-conc-a"), ReservedConcurrentExecutions=200)
    lam.delete_function_concurrency(FunctionName="lc-conc-a")
    lam.put_function_concurrency(FunctionName=_fn("lc-conc-b"), ReservedConcurrentExecutions=200)
    assert lam.get_account_settings()["AccountLimit"]["UnreservedConcurrentExecutions"] == 100


def test_the_old_prod_config_fails_at_the_tenth_function(emulator: Emulator) -> None:
    # 13 x 100 against the default 1,000: nine fit (900), the tenth is refused, as the prod apply was.
    lam, accepted = boto3.client("lambda"), 0
    try:
        with pytest.raises(ClientError, match="InvalidParameterValueException"):
            for i in range(13):
                lam.put_function_concurrency(FunctionName=_fn(f"lc-conc-p{i}"), ReservedConcurrentExecutions=100)
                accepted += 1
        assert accepted == 9
    finally:
        for i in range(13):
            lam.delete_function_concurrency(FunctionName=_fn(f"lc-conc-p{i}"))


def test_account_settings_report_function_usage(emulator: Emulator) -> None:
    usage = boto3.client("lambda").get_account_settings()["AccountUsage"]
    assert usage["FunctionCount"] >= 1

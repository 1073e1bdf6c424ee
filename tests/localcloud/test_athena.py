"""Athena tag calls with the account-less ARNs the provider builds; unknown resources answer as AWS does."""

from __future__ import annotations

import boto3
import pytest
from botocore.exceptions import ClientError

from localcloud import ACCOUNT_ID
from localcloud.emulator import Emulator

WORKGROUP = "lc-athena-wg"


def _arn(emulator: Emulator, name: str, account: str = "") -> str:
    return f"arn:aws:athena:{emulator.region}:{account}:workgroup/{name}"


@pytest.fixture(scope="module")
def workgroup(emulator: Emulator) -> str:
    boto3.client("athena").create_work_group(Name=WORKGROUP)
    return _arn(emulator, WORKGROUP)


def test_existing_workgroup_without_tags_lists_an_empty_tag_list(workgroup: str) -> None:
    # Given a workgroup without tags, When its tags are listed by the account-less ARN
    tags = boto3.client("athena").list_tags_for_resource(ResourceARN=workgroup)["Tags"]
    # Then the answer is an empty list (moto said "Does Not Exist")
    assert tags == []


def test_tags_set_with_account_less_arn_are_listed_under_the_full_arn(emulator: Emulator, workgroup: str) -> None:
    athena = boto3.client("athena")
    # When tags are set through the account-less ARN
    athena.tag_resource(ResourceARN=workgroup, Tags=[{"Key": "team", "Value": "txn"}])
    # Then the full ARN (account filled in) lists them
    full = _arn(emulator, WORKGROUP, account=ACCOUNT_ID)
    assert athena.list_tags_for_resource(ResourceARN=full)["Tags"] == [{"Key": "team", "Value": "txn"}]


def test_untag_with_account_less_arn_removes_the_tag(workgroup: str) -> None:
    athena = boto3.client("athena")
    athena.tag_resource(ResourceARN=workgroup, Tags=[{"Key": "gone", "Value": "soon"}])
    # When the tag is removed through the account-less ARN
    athena.untag_resource(ResourceARN=workgroup, TagKeys=["gone"])
    # Then it is no longer listed
    keys = [t["Key"] for t in athena.list_tags_for_resource(ResourceARN=workgroup)["Tags"]]
    assert "gone" not in keys


@pytest.mark.parametrize("call", ["list", "tag", "untag"])
def test_unknown_workgroup_answers_resource_not_found(emulator: Emulator, call: str) -> None:
    # Given a workgroup that does not exist (Athena API Reference: ResourceNotFoundException)
    athena, arn = boto3.client("athena"), _arn(emulator, "lc-athena-missing")
    actions = {"list": lambda: athena.list_tags_for_resource(ResourceARN=arn),
               "tag": lambda: athena.tag_resource(ResourceARN=arn, Tags=[{"Key": "k", "Value": "v"}]),
               "untag": lambda: athena.untag_resource(ResourceARN=arn, TagKeys=["k"])}
    # When a tag call names it, Then Athena's error answers it
    with pytest.raises(ClientError) as raised:
        actions[call]()
    assert raised.value.response["Error"]["Code"] == "ResourceNotFoundException"


def test_unknown_workgroup_error_names_the_arn(emulator: Emulator) -> None:
    arn = _arn(emulator, "lc-athena-missing")
    with pytest.raises(ClientError) as raised:
        boto3.client("athena").list_tags_for_resource(ResourceARN=arn)
    assert "lc-athena-missing" in raised.value.response["Error"]["Message"]


def test_tagging_an_unknown_workgroup_leaves_nothing_behind(emulator: Emulator) -> None:
    athena, name = boto3.client("athena"), "lc-athena-later"
    with pytest.raises(ClientError):
        athena.tag_resource(ResourceARN=_arn(emulator, name), Tags=[{"Key": "stale", "Value": "x"}])
    # When a workgroup of that name is created afterwards, Then it has no tags from the refused call
    athena.create_work_group(Name=name)
    assert athena.list_tags_for_resource(ResourceARN=_arn(emulator, name))["Tags"] == []

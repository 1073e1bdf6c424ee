"""S3 versioning-suspended buckets: the deletes `terraform destroy` sends after it suspends versioning."""

from __future__ import annotations

from typing import Any

import boto3
import pytest

from localcloud.emulator import Emulator


def _bucket_with_history(name: str) -> Any:
    """Given a versioned bucket where a.txt has two versions and b.txt a delete marker, then suspended."""
    s3 = boto3.client("s3")
    s3.create_bucket(Bucket=name)
    s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})
    s3.put_object(Bucket=name, Key="a.txt", Body=b"1")
    s3.put_object(Bucket=name, Key="a.txt", Body=b"2")
    s3.put_object(Bucket=name, Key="b.txt", Body=b"x")
    s3.delete_object(Bucket=name, Key="b.txt")
    s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Suspended"})
    return s3


def _versions(s3: Any, bucket: str) -> list[tuple[str, str]]:
    listing = s3.list_object_versions(Bucket=bucket)
    entries = listing.get("Versions", []) + listing.get("DeleteMarkers", [])
    return sorted((e["Key"], e["VersionId"]) for e in entries)


def test_deleting_every_version_by_id_empties_a_suspended_bucket(emulator: Emulator) -> None:
    s3 = _bucket_with_history("lc-versions-destroy")
    objects = [{"Key": k, "VersionId": v} for k, v in _versions(s3, "lc-versions-destroy")]

    result = s3.delete_objects(Bucket="lc-versions-destroy", Delete={"Objects": objects})

    assert result.get("Errors", []) == []
    assert _versions(s3, "lc-versions-destroy") == []


def test_deleting_one_version_by_id_keeps_the_others(emulator: Emulator) -> None:
    s3 = _bucket_with_history("lc-versions-one")
    first, second = (v for k, v in _versions(s3, "lc-versions-one") if k == "a.txt")

    s3.delete_object(Bucket="lc-versions-one", Key="a.txt", VersionId=first)

    assert [v for k, v in _versions(s3, "lc-versions-one") if k == "a.txt"] == [second]


def test_a_simple_delete_inserts_a_null_delete_marker_and_keeps_history(emulator: Emulator) -> None:
    s3 = _bucket_with_history("lc-versions-simple")

    response = s3.delete_object(Bucket="lc-versions-simple", Key="a.txt")

    assert (response["VersionId"], response["DeleteMarker"]) == ("null", True)
    markers = s3.list_object_versions(Bucket="lc-versions-simple", Prefix="a.txt").get("DeleteMarkers", [])
    assert [m["VersionId"] for m in markers] == ["null"]
    assert len(s3.list_object_versions(Bucket="lc-versions-simple", Prefix="a.txt")["Versions"]) == 2


def test_a_put_replaces_only_the_null_version(emulator: Emulator) -> None:
    s3 = _bucket_with_history("lc-versions-put")

    s3.put_object(Bucket="lc-versions-put", Key="a.txt", Body=b"3")
    s3.put_object(Bucket="lc-versions-put", Key="a.txt", Body=b"4")

    ids = [v for k, v in _versions(s3, "lc-versions-put") if k == "a.txt"]
    assert len(ids) == 3 and ids.count("null") == 1
    assert s3.get_object(Bucket="lc-versions-put", Key="a.txt")["Body"].read() == b"4"


@pytest.mark.parametrize("key", ["a.txt", "missing.txt"])
def test_deleting_a_version_that_does_not_exist_changes_nothing(emulator: Emulator, key: str) -> None:
    s3 = _bucket_with_history(f"lc-versions-none-{key[0]}")
    before = _versions(s3, f"lc-versions-none-{key[0]}")

    s3.delete_object(Bucket=f"lc-versions-none-{key[0]}", Key=key, VersionId="3HL4kqtJlcpXroDTDmJ-rmSpXd3dIbrHY")

    assert _versions(s3, f"lc-versions-none-{key[0]}") == before

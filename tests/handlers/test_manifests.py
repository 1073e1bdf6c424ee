"""The S3 seam between the state machine and its handlers: key manifests and ResultWriter files."""

from __future__ import annotations

import json

import boto3
import pytest

from txnpipe.manifests import read_keys, read_map_results, write_keys

BUCKET = "work"


@pytest.fixture
def s3(aws: None) -> object:
    client = boto3.client("s3")
    client.create_bucket(Bucket=BUCKET)
    return client


def put(s3: object, key: str, value: object) -> None:
    s3.put_object(Bucket=BUCKET, Key=key, Body=json.dumps(value).encode())  # type: ignore[attr-defined]


def test_keys_round_trip_as_a_json_array(s3: object) -> None:
    write_keys(s3, BUCKET, "manifests/f/processed.json", ["a.parquet", "b.parquet"])
    assert read_keys(s3, BUCKET, "manifests/f/processed.json") == ["a.parquet", "b.parquet"]


def test_a_manifest_that_is_not_an_array_of_keys_is_refused(s3: object) -> None:
    put(s3, "manifests/f/bad.json", {"keys": ["a"]})
    with pytest.raises(ValueError, match="expected a JSON array of object keys"):
        read_keys(s3, BUCKET, "manifests/f/bad.json")


def result_writer_files(s3: object, outputs: list[object], failed: int = 0) -> dict[str, str]:
    """Files shaped as AWS's ResultWriter writes them (manifest.json + SUCCEEDED_0.json [+ FAILED_0.json])."""
    put(s3, "chunk-results/run/SUCCEEDED_0.json", [{"Status": "SUCCEEDED", "Output": json.dumps(o)} for o in outputs])
    files: dict[str, list[dict[str, object]]] = {
        "SUCCEEDED": [{"Key": "chunk-results/run/SUCCEEDED_0.json", "Size": 1}], "FAILED": [], "PENDING": []}
    if failed:
        files["FAILED"] = [{"Key": "chunk-results/run/FAILED_0.json", "Size": 1}]
    put(s3, "chunk-results/run/manifest.json", {"DestinationBucket": BUCKET, "MapRunArn": "arn", "ResultFiles": files})
    return {"Bucket": BUCKET, "Key": "chunk-results/run/manifest.json"}


def test_map_results_are_the_parsed_outputs_of_the_succeeded_children(s3: object) -> None:
    details = result_writer_files(s3, [{"chunk": {"index": 1}}, {"chunk": {"index": 0}}])
    assert read_map_results(s3, details) == [{"chunk": {"index": 1}}, {"chunk": {"index": 0}}]


def test_map_results_with_failed_children_are_an_error(s3: object) -> None:
    details = result_writer_files(s3, [{"chunk": {"index": 0}}], failed=1)
    with pytest.raises(ValueError, match="failed or pending child executions"):
        read_map_results(s3, details)

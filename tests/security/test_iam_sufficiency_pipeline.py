"""IAM sufficiency of the file-pipeline handlers: each runs under its own synthesized role policy.

Buckets are created with the synthesized names; moto enforces the S3 grants, the call recorder
checks DynamoDB/CloudWatch/KMS. A handler that needs more than its role grants fails here.
"""

from __future__ import annotations

import io
import json
from typing import Any

import boto3
import pytest

from stacks.storage.stack import AUDIT, FILES, TRANSACTIONS
from tests.fake_aws import create_table
from tests.resolve import Resolver
from tests.security.iam_harness import function_under_test, run_as
from tests.security.test_iam_sufficiency import Context, moto, stacks  # noqa: F401  (fixtures)
from tests.security.tfjson import Stacks
from tests.synth import Synth

CSV = ("transaction_id,account_id,amount,currency,transaction_type,timestamp\n"
       "t1,a1,1.00,USD,DEBIT,2026-11-01T10:00:00Z\nt2,a1,x,USD,DEBIT,2026-11-01T10:00:00Z\n")


def bucket_names(local: Synth) -> dict[str, str]:
    resolver = Resolver(local, "storage")
    return {body["//"]["metadata"]["path"].split("/")[1]: resolver.text(body["bucket"])
            for body in local.resources("storage", "aws_s3_bucket").values()}


@pytest.fixture
def buckets(local: Synth, moto: None) -> dict[str, str]:  # noqa: F811
    names = bucket_names(local)
    for name in names.values():
        boto3.client("s3").create_bucket(Bucket=name)
    boto3.client("s3").put_object(Bucket=names["raw"], Key="uploads/p1/a.csv", Body=CSV.encode())  # the partner's PUT
    return names


def validate(buckets: dict[str, str]) -> dict[str, Any]:
    from validate_file.handler import handler

    event = {"file_id": "f-1", "bucket": buckets["raw"], "key": "uploads/p1/a.csv", "version_id": None,
             "partner_id": "p1", "format": "csv", "size": len(CSV)}
    return handler(event, Context())  # type: ignore[arg-type]


def first_processed_key(result: dict[str, Any], buckets: dict[str, str]) -> str:
    """The first Parquet key of validate_file's manifest (written with its grants into the work bucket)."""
    body = boto3.client("s3").get_object(Bucket=buckets["artifacts"], Key=result["processed_manifest_key"])["Body"]
    return str(json.loads(body.read())[0])


def test_validate_file_reads_uploads_and_writes_outputs_with_only_its_grants(
        stacks: Stacks, buckets: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    fn = function_under_test(stacks, "validate_file")
    with run_as(fn, monkeypatch) as run:
        result = validate(buckets)
    assert (result["rows_valid"], result["rows_rejected"]) == (1, 1)
    assert run.denied == []
    assert {"s3:GetObject", "s3:PutObject"} <= run.actions


def test_validate_file_fails_without_write_access_to_the_quarantine(
        stacks: Stacks, buckets: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    fn = function_under_test(stacks, "validate_file").without("s3:PutObject")
    with pytest.raises(Exception, match=r"AccessDenied|Access Denied"), run_as(fn, monkeypatch):
        validate(buckets)


def test_load_and_summarize_run_with_only_their_grants(
        stacks: Stacks, buckets: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    # Given a validated file: one Parquet object and one quarantined row
    with run_as(function_under_test(stacks, "validate_file"), monkeypatch):
        result = validate(buckets)
    key = first_processed_key(result, buckets)
    load = function_under_test(stacks, "load_transactions")
    _load_tables(load)
    # When load_transactions runs under its role
    with run_as(load, monkeypatch) as load_run:
        from load_transactions.handler import handler as load_handler

        load_handler({"bucket": result["processed_bucket"], "key": key, "partner_id": "p1"},
                     Context())  # type: ignore[arg-type]
    # And summarize_quarantine runs under its role
    summarize = function_under_test(stacks, "summarize_quarantine")
    create_table(AUDIT, summarize.environment["AUDIT_TABLE"])
    with run_as(summarize, monkeypatch) as summarize_run:
        from summarize_quarantine.handler import handler as summarize_handler

        out = summarize_handler({"file_id": "f-1", "quarantine_bucket": result["quarantine_bucket"],
                                 "quarantine_key": result["quarantine_key"]}, Context())  # type: ignore[arg-type]
    # Then neither was denied anything, each used what its step needs, and the quarantine is summarized
    assert load_run.denied == []
    assert load_run.actions >= {"dynamodb:BatchGetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"}
    assert summarize_run.denied == []
    assert summarize_run.actions >= {"s3:GetObject", "dynamodb:PutItem"}
    assert out["by_field"] == {"amount": 1}
    body = boto3.client("s3").get_object(Bucket=result["quarantine_bucket"], Key=result["quarantine_key"])["Body"]
    assert json.loads(io.BytesIO(body.read()).readline())["row"] == 2


def _load_tables(load: Any, stored: dict[str, Any] | None = None) -> None:
    """The transactions table (holding `stored`, if given) and the files table with f-1's record."""
    transactions = create_table(TRANSACTIONS, load.environment["TRANSACTIONS_TABLE"])
    if stored:
        transactions.put_item(Item=stored)
    create_table(FILES, load.environment["FILES_TABLE"]).put_item(Item={"file_id": "f-1", "status": "PROCESSING"})


def _load(load: Any, result: dict[str, Any], key: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    with run_as(load, monkeypatch) as run:
        from load_transactions.handler import handler as load_handler

        load_handler({"bucket": result["processed_bucket"], "key": key, "partner_id": "p1"},
                     Context())  # type: ignore[arg-type]
    return run


def test_load_quarantines_a_conflicting_row_with_only_its_grants(
        stacks: Stacks, buckets: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    # Given a validated file whose one valid row, t1, is already stored from another file with another amount
    with run_as(function_under_test(stacks, "validate_file"), monkeypatch):
        result = validate(buckets)
    load = function_under_test(stacks, "load_transactions")
    _load_tables(load, stored={"transaction_key": "p1#t1", "transaction_id": "t1", "account_id": "a1",
                               "amount": "9.00", "currency": "USD", "transaction_type": "DEBIT",
                               "timestamp": "2026-11-01T10:00:00Z", "file_id": "f-0", "source_row": 2})
    # When load_transactions loads it under its role
    run = _load(load, result, first_processed_key(result, buckets), monkeypatch)
    # Then the conflicting row went to the quarantine bucket, and nothing was denied
    assert (run.denied, "s3:PutObject" in run.actions) == ([], True)


def test_load_is_caught_without_put_item_even_from_its_writer_threads(
        stacks: Stacks, buckets: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    # Given a validated file and load_transactions' role without dynamodb:PutItem
    with run_as(function_under_test(stacks, "validate_file"), monkeypatch):
        result = validate(buckets)
    load = function_under_test(stacks, "load_transactions").without("dynamodb:PutItem")
    _load_tables(load)
    # When it loads the object (its writers use their own boto3 sessions, and TransactWriteItems' Puts need PutItem)
    run = _load(load, result, first_processed_key(result, buckets), monkeypatch)
    # Then the writer threads' calls are recorded as denied
    assert any("dynamodb:PutItem" in denied for denied in run.denied)


def chunk_results(stacks: Stacks, buckets: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:  # noqa: F811
    """One chunk validated under validate_file's role; its result written as ResultWriter writes it.

    Returns merge_chunks' input (the descriptor plus `chunk_results`).
    """
    header = CSV.split("\n", 1)[0]
    chunk = {"index": 0, "start": len(header) + 1, "end": len(CSV), "first_row": 1, "header": header}
    event = {"file_id": "f-2", "bucket": buckets["raw"], "key": "uploads/p1/a.csv", "version_id": None,
             "partner_id": "p1", "format": "csv", "size": len(CSV)}
    with run_as(function_under_test(stacks, "validate_file"), monkeypatch):
        from validate_file.handler import handler as validate_handler  # cold start, under the role's environment

        result = validate_handler({**event, "chunk": chunk}, Context())  # type: ignore[arg-type]
    s3, work = boto3.client("s3"), buckets["artifacts"]
    s3.put_object(Bucket=work, Key="chunk-results/run/SUCCEEDED_0.json",
                  Body=json.dumps([{"Status": "SUCCEEDED", "Output": json.dumps(result)}]).encode())
    s3.put_object(Bucket=work, Key="chunk-results/run/manifest.json", Body=json.dumps({
        "DestinationBucket": work, "MapRunArn": "arn", "ResultFiles": {
            "SUCCEEDED": [{"Key": "chunk-results/run/SUCCEEDED_0.json", "Size": 1}], "FAILED": [], "PENDING": []}}).encode())
    return {**event, "chunk_results": {"Bucket": work, "Key": "chunk-results/run/manifest.json"}}


def test_merge_chunks_reads_result_writer_files_and_manifests_with_only_its_grants(
        stacks: Stacks, buckets: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    # Given a chunk's result in ResultWriter files and its keys in a chunk manifest
    event = chunk_results(stacks, buckets, monkeypatch)
    # When merge_chunks runs under its own role
    with run_as(function_under_test(stacks, "merge_chunks"), monkeypatch) as run:
        from merge_chunks.handler import handler as merge_handler

        merged = merge_handler(event, Context())  # type: ignore[arg-type]
    # Then nothing was denied and the file's manifest lists the chunk's objects
    assert run.denied == []
    assert (merged["rows_valid"], merged["rows_rejected"]) == (1, 1)
    body = boto3.client("s3").get_object(Bucket=buckets["artifacts"], Key=merged["processed_manifest_key"])["Body"]
    keys = json.loads(body.read())
    assert keys
    assert all(k.endswith("-c00000.parquet") for k in keys)


def test_merge_chunks_fails_without_read_access_to_the_chunk_results(
        stacks: Stacks, buckets: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    event = chunk_results(stacks, buckets, monkeypatch)
    merge = function_under_test(stacks, "merge_chunks").without("s3:GetObject")
    with pytest.raises(Exception, match=r"AccessDenied|Access Denied"), run_as(merge, monkeypatch):
        from merge_chunks.handler import handler as merge_handler

        merge_handler(event, Context())  # type: ignore[arg-type]

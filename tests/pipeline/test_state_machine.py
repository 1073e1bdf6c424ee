"""The synthesized state machine, executed in moto's Step Functions with the real handlers.

Given the definition from cdktf.out (references resolved) and the storage resources created
from the synthesized JSON, When a file's "Object Created" event starts an execution, Then
the file ends in the status the contract requires, with its counts and objects.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from typing import Any

import boto3
import pyarrow.parquet as pq
import pytest
from boto3.dynamodb.conditions import Key
from moto import mock_aws
from moto.awslambda.models import LambdaFunction

from localcloud.patches import stepfunctions_limits, stepfunctions_result_writer
from tests.fake_aws import use_fake_aws
from tests.pipeline.harness import DeployedPipeline, InProcessLambdas
from tests.synth import Synth
from txnpipe import clients

HEADER = "transaction_id,account_id,amount,currency,transaction_type,timestamp,merchant_id,description\n"
GOOD = HEADER + "t1,acc1,10.50,USD,DEBIT,2026-11-01T10:00:00Z,m1,coffee\n" \
    "t2,acc1,1000,JPY,CREDIT,2026-11-02T09:30:00+09:00,,\n" \
    "t3,acc2,0.01,EUR,TRANSFER,2026-11-02T23:59:59-01:00,m2,\"rent, november\"\n"
BAD_ROWS = HEADER + "t1,acc1,10.50,USD,DEBIT,2026-11-01T10:00:00Z,m1,ok\n" \
    "t2,acc1,10.505,USD,DEBIT,2026-11-01T10:00:00Z,m1,too precise\n" \
    "t1,acc3,1.00,USD,DEBIT,2026-11-01T10:00:00Z,m1,duplicate id\n"


@pytest.fixture
def lambdas(monkeypatch: pytest.MonkeyPatch) -> InProcessLambdas:
    runner = InProcessLambdas()
    # Replaces the whole invoke (not just moto's docker step), so no other patch of the
    # Lambda runtime installed in this process (e.g. by localcloud tests) gets in the way.
    monkeypatch.setattr(LambdaFunction, "invoke", lambda function, *args: runner.moto_invoke(function, *args))
    return runner


@pytest.fixture
def pipeline(local: Synth, lambdas: InProcessLambdas, monkeypatch: pytest.MonkeyPatch) -> Iterator[DeployedPipeline]:
    use_fake_aws(monkeypatch)
    clients.reset()
    # AWS's quotas and ResultWriter files, as the emulator has them (the definition depends on both).
    stepfunctions_limits.install()
    stepfunctions_result_writer.install()
    with mock_aws(config={"stepfunctions": {"execute_state_machine": True}}):
        yield DeployedPipeline(local).create()
    clients.reset()


def alerts(pipeline: DeployedPipeline) -> list[dict[str, Any]]:
    messages = boto3.client("sqs").receive_message(QueueUrl=pipeline.alert_queue_url, MaxNumberOfMessages=10)
    return [json.loads(m["Body"]) for m in messages.get("Messages", [])]


def processed_keys(pipeline: DeployedPipeline, item: dict[str, Any]) -> list[str]:
    """The Parquet keys of a file, from the manifest its status record points at."""
    body = boto3.client("s3").get_object(Bucket=pipeline.buckets["artifacts"], Key=item["processed_manifest_key"])["Body"]
    return list(json.loads(body.read()))


def test_a_good_csv_completes_with_parquet_and_table_items(pipeline: DeployedPipeline) -> None:
    execution = pipeline.run(pipeline.upload("uploads/p1/good.csv", GOOD.encode()))
    assert execution["status"] == "SUCCEEDED", execution.get("cause")
    item = pipeline.file("uploads/p1/good.csv")
    assert item["status"] == "COMPLETED"
    assert (item["rows_total"], item["rows_valid"], item["rows_rejected"]) == (3, 3, 0)
    assert set(item["status_history"]) == {"RECEIVED", "VALIDATING", "PROCESSING", "COMPLETED"}
    keys = sorted(processed_keys(pipeline, item))
    assert keys == [f"transactions/transaction_date={d}/partner_id=p1/{item['file_id']}.parquet"
                    for d in ("2026-11-01", "2026-11-02", "2026-11-03")]
    body = boto3.client("s3").get_object(Bucket=pipeline.buckets["processed"], Key=keys[0])["Body"].read()
    assert pq.read_table(io.BytesIO(body)).column("amount_minor").to_pylist() == [1050]
    stored = boto3.resource("dynamodb").Table(pipeline.tables["transactions"]).get_item(Key={"transaction_key": "p1#t2"})
    assert stored["Item"]["amount_minor"] == 1000 and stored["Item"]["signed_amount_minor"] == 1000
    assert stored["Item"]["timestamp_utc"] == "2026-11-02T00:30:00Z"
    assert alerts(pipeline) == []


def test_bad_rows_complete_with_errors_and_are_quarantined(pipeline: DeployedPipeline) -> None:
    execution = pipeline.run(pipeline.upload("uploads/p2/mixed.csv", BAD_ROWS.encode()))
    assert execution["status"] == "SUCCEEDED", execution.get("cause")
    item = pipeline.file("uploads/p2/mixed.csv")
    assert item["status"] == "COMPLETED_WITH_ERRORS"
    assert (item["rows_total"], item["rows_valid"], item["rows_rejected"]) == (3, 1, 2)
    body = boto3.client("s3").get_object(Bucket=pipeline.buckets["quarantine"], Key=item["quarantine_key"])["Body"]
    rejected = [json.loads(line) for line in body.read().decode().splitlines()]
    assert [(r["row"], r["reason"].split(":")[0]) for r in rejected] == [(2, "amount"), (3, "transaction_id")]
    audit = boto3.resource("dynamodb").Table(pipeline.tables["audit"]).query(
        KeyConditionExpression=Key("entity_id").eq(f"file#{item['file_id']}"))["Items"]
    quarantined = [a for a in audit if a["event"] == "RowsQuarantined"]
    assert quarantined and quarantined[0]["details"]["rows_rejected"] == 2


def test_an_unreadable_file_is_rejected_with_its_reason(pipeline: DeployedPipeline) -> None:
    execution = pipeline.run(pipeline.upload("uploads/p1/latin1.csv", HEADER.encode() + b"t1,acc,1.00,EUR,DEBIT,\xe9\n"))
    assert execution["status"] == "SUCCEEDED", execution.get("cause")
    item = pipeline.file("uploads/p1/latin1.csv")
    assert item["status"] == "REJECTED" and "UTF-8" in item["reason"]
    assert boto3.client("s3").list_objects_v2(Bucket=pipeline.buckets["processed"]).get("KeyCount") == 0


def test_a_duplicate_event_for_the_same_version_does_not_process_twice(pipeline: DeployedPipeline,
                                                                      lambdas: InProcessLambdas) -> None:
    event = pipeline.upload("uploads/p1/again.csv", GOOD.encode())
    pipeline.run(event)
    validations = lambdas.calls.count("txnpipe-validate-file-local")
    assert pipeline.run(event)["status"] == "SUCCEEDED"
    assert lambdas.calls.count("txnpipe-validate-file-local") == validations == 1


def test_a_transient_failure_is_retried_and_the_file_completes(pipeline: DeployedPipeline,
                                                               lambdas: InProcessLambdas) -> None:
    from txnpipe.errors import TransientError

    failures = []

    def fail_once(function: str, event: dict[str, Any]) -> None:
        if function == "txnpipe-validate-file-local" and not failures:
            failures.append(function)
            raise TransientError("injected: S3 SlowDown")

    lambdas.fault = fail_once
    execution = pipeline.run(pipeline.upload("uploads/p1/retry.csv", GOOD.encode()))
    assert execution["status"] == "SUCCEEDED", execution.get("cause")
    assert failures and lambdas.calls.count("txnpipe-validate-file-local") == 2
    assert pipeline.file("uploads/p1/retry.csv")["status"] == "COMPLETED"


def test_a_permanent_failure_ends_failed_with_reason_and_alert(pipeline: DeployedPipeline,
                                                               lambdas: InProcessLambdas) -> None:
    def always_fail(function: str, event: dict[str, Any]) -> None:
        if function == "txnpipe-load-transactions-local":
            raise RuntimeError("injected: table is gone")

    lambdas.fault = always_fail
    key = "uploads/p1/broken.csv"
    execution = pipeline.run(pipeline.upload(key, GOOD.encode()))
    assert execution["status"] == "FAILED"
    item = pipeline.file(key)
    # The load is a Distributed Map: a failed child fails the map run (nothing is tolerated), as in AWS.
    assert item["status"] == "FAILED" and item["reason"].startswith("States.ExceedToleratedFailureThreshold")
    assert boto3.client("s3").get_object(Bucket=pipeline.buckets["raw"], Key=key)["Body"].read() == GOOD.encode()
    (alert,) = alerts(pipeline)
    assert "txnpipe: file processing FAILED" in json.dumps(alert)


def test_a_large_file_goes_through_chunks_with_global_row_numbers_and_cross_chunk_duplicates(
        pipeline: DeployedPipeline, lambdas: InProcessLambdas) -> None:
    # Given thresholds lowered so a small file takes the scale-out path in several chunks
    lam = boto3.client("lambda")
    for name, extra in (("txnpipe-register-file-local", {"LARGE_FILE_BYTES": "100"}),
                        ("txnpipe-plan-chunks-local", {"CHUNK_BYTES": "120"})):
        env = lam.get_function_configuration(FunctionName=name)["Environment"]["Variables"]
        lam.update_function_configuration(FunctionName=name, Environment={"Variables": {**env, **extra}})
    rows = [f"t{i},acc{i % 3},{i}.00,USD,CREDIT,2026-11-0{1 + i % 2}T10:00:00Z,m1,\"row {i}\nsecond line\"\n"
            for i in range(1, 9)]
    rows[5] = rows[5].replace("t6,", "t2,", 1)  # row 6 repeats the id of row 2, in a later chunk
    rows[6] = rows[6].replace("USD", "usd", 1)  # row 7: bad currency
    # When it is uploaded
    execution = pipeline.run(pipeline.upload("uploads/p9/big.csv", (HEADER + "".join(rows)).encode()))
    # Then the chunks ran, the counts reconcile and the rejected rows carry whole-file row numbers
    assert execution["status"] == "SUCCEEDED", execution.get("cause")
    assert lambdas.calls.count("txnpipe-validate-file-local") >= 3
    item = pipeline.file("uploads/p9/big.csv")
    assert item["status"] == "COMPLETED_WITH_ERRORS"
    assert (item["rows_total"], item["rows_valid"], item["rows_rejected"]) == (8, 6, 2)
    body = boto3.client("s3").get_object(Bucket=pipeline.buckets["quarantine"], Key=item["quarantine_key"])["Body"]
    rejected = [json.loads(line) for line in body.read().decode().splitlines()]
    assert [(r["row"], r["reason"].split(":")[0]) for r in rejected] == [(6, "transaction_id"), (7, "currency")]
    table = boto3.resource("dynamodb").Table(pipeline.tables["transactions"])
    assert table.get_item(Key={"transaction_key": "p9#t2"})["Item"]["source_row"] == 2

"""After a real terraform deploy of all four stacks into the emulator: push data, check outcomes.

One deployment per session; its fixture's teardown destroys it and checks that nothing is left.
"""

from __future__ import annotations

import io
import json
import time
import zipfile
from typing import Any

import boto3
import pytest

from localcloud import ACCOUNT_ID
from localcloud.deploy import Deployment
from localcloud.emulator import Emulator
from localcloud.scenario import UNREADABLE, FileOutcome, Pipeline, clean_csv, csv_with_bad_rows, json_file, transaction

pytestmark = pytest.mark.e2e

def _layer_missing_libraries() -> list[str]:
    """pyarrow libraries the deployed layer zips lack (regression check for the trimmed-layer bug)."""
    from moto.awslambda.models import lambda_backends

    missing: set[str] = set()
    for backend in lambda_backends[ACCOUNT_ID].values():
        for fn in backend.list_functions():
            for ref in fn.layers:
                version = backend.layers_versions_by_arn(ref["Arn"])
                names = set(zipfile.ZipFile(io.BytesIO(version.code_bytes)).namelist())
                if "python/pyarrow/lib.cpython-311-x86_64-linux-gnu.so" in names and \
                        "python/pyarrow/libarrow_substrait.so.2000" not in names:
                    missing.add("pyarrow/libarrow_substrait.so.2000")
    return sorted(missing)


def test_every_resource_of_every_stack_is_deployed(deployment: Deployment) -> None:
    for stack in deployment.stacks():
        declared = json.loads((deployment.stack_dir(stack) / "cdk.tf.json").read_text()).get("resource", {})
        in_state = {r for r in deployment.state_resources(stack) if not r.startswith("data.")}
        expected = {f"{type_}.{name}" for type_, items in declared.items() for name in items}
        assert expected == in_state, f"{stack}: not applied: {sorted(expected - in_state)}"


def test_lambda_runs_the_uploaded_zip_with_layer_and_environment(pipeline: Pipeline) -> None:
    """file_status from its zip: imports powertools from the layer, writes the table its env names."""
    file_id = f"f-e2e-direct-{int(time.time())}"
    response = boto3.client("lambda").invoke(FunctionName="txnpipe-file-status-local",
                                             Payload=json.dumps({"file_id": file_id, "status": "RECEIVED"}).encode())
    body = json.loads(response["Payload"].read())
    assert response.get("FunctionError") is None, body
    assert body["status"] == "RECEIVED"
    item = boto3.resource("dynamodb").Table(pipeline.tables["files"]).get_item(Key={"file_id": file_id})["Item"]
    assert item["status"] == "RECEIVED"


def test_layer_has_every_library_pyarrow_links_to(pipeline: Pipeline) -> None:
    assert _layer_missing_libraries() == []


def _upload_and_wait(pipeline: Pipeline, label: str, key: str, body: bytes) -> FileOutcome:
    started = pipeline.upload(key, body)
    return pipeline.wait_terminal(FileOutcome(label, key), started, timeout_s=120)


def _counts(item: dict[str, Any]) -> tuple[int, int, int]:
    return int(item["rows_total"]), int(item["rows_valid"]), int(item["rows_rejected"])


def test_clean_csv_completes_with_parquet_and_table_items(pipeline: Pipeline) -> None:
    outcome = _upload_and_wait(pipeline, "clean", "uploads/acme/e2e-clean.csv", clean_csv(25))
    assert outcome.status == "COMPLETED", outcome
    total, valid, rejected = _counts(outcome.item)
    assert (total, valid, rejected) == (25, 25, 0)
    import pyarrow.parquet as pq

    s3 = boto3.client("s3")
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=pipeline.buckets["processed"]).get("Contents", [])
            if o["Key"].endswith(".parquet")]
    rows = sum(pq.read_table(io.BytesIO(s3.get_object(Bucket=pipeline.buckets["processed"], Key=k)["Body"].read())).num_rows
               for k in keys)
    assert rows >= 25
    stored = pipeline.items("transactions")
    assert sum(1 for i in stored if str(i.get("transaction_id", "")).startswith("clean-")) == 25


def test_csv_with_bad_rows_reconciles_and_quarantines(pipeline: Pipeline) -> None:
    outcome = _upload_and_wait(pipeline, "mixed", "uploads/acme/e2e-mixed.csv", csv_with_bad_rows())
    assert outcome.status == "COMPLETED_WITH_ERRORS", outcome
    total, valid, rejected = _counts(outcome.item)
    assert total == valid + rejected and rejected == 5 and valid == 8
    quarantine = boto3.client("s3").list_objects_v2(Bucket=pipeline.buckets["quarantine"]).get("Contents", [])
    assert quarantine, "bad rows are in the quarantine bucket"


def test_json_file_and_unreadable_file(pipeline: Pipeline) -> None:
    good = _upload_and_wait(pipeline, "json", "uploads/acme/e2e-batch.json", json_file(6))
    assert good.status == "COMPLETED_WITH_ERRORS" and _counts(good.item) == (7, 6, 1)
    bad = _upload_and_wait(pipeline, "garbage", "uploads/acme/e2e-garbage.csv", UNREADABLE)
    assert bad.status == "REJECTED" and bad.item.get("reason")


def test_txt_upload_is_ignored(pipeline: Pipeline) -> None:
    pipeline.upload("uploads/acme/e2e-notes.txt", b"hello")
    time.sleep(3)
    assert pipeline.file_items("uploads/acme/e2e-notes.txt") == []
    assert pipeline.execution_input_for("e2e-notes.txt") is None  # never reached the state machine


def test_duplicate_event_makes_no_second_file(pipeline: Pipeline) -> None:
    key = "uploads/acme/e2e-dup.csv"
    started = pipeline.upload(key, clean_csv(3).replace(b"clean-", b"dup-"))
    first = pipeline.wait_terminal(FileOutcome("dup", key), started, timeout_s=120)
    execution = pipeline.redeliver(key)
    assert execution
    sfn = boto3.client("stepfunctions")
    deadline = time.time() + 60
    while sfn.describe_execution(executionArn=execution)["status"] == "RUNNING" and time.time() < deadline:
        time.sleep(0.5)
    assert sfn.describe_execution(executionArn=execution)["status"] == "SUCCEEDED"
    items = pipeline.file_items(key)
    assert len(items) == 1 and items[0]["status"] == first.status


def test_transient_task_failure_is_retried_and_file_completes(pipeline: Pipeline, emulator: Emulator) -> None:
    emulator.runtime.inject("txnpipe-validate-file-local", "TransientError", times=1)
    try:
        outcome = _upload_and_wait(pipeline, "transient", "uploads/acme/e2e-transient.csv",
                                   clean_csv(4).replace(b"clean-", b"transient-"))
    finally:
        emulator.runtime.clear_faults()
    assert outcome.status == "COMPLETED", outcome


def test_permanent_task_failure_ends_failed_with_alert_and_raw_intact(pipeline: Pipeline, emulator: Emulator,
                                                                      alerts: str) -> None:
    pipeline.drain(alerts, wait_s=0)
    key = "uploads/acme/e2e-permanent.csv"
    body = clean_csv(4).replace(b"clean-", b"perm-")
    emulator.runtime.inject("txnpipe-validate-file-local", "RuntimeError", times=None, message="disk on fire")
    try:
        outcome = _upload_and_wait(pipeline, "permanent", key, body)
    finally:
        emulator.runtime.clear_faults()
    assert outcome.status == "FAILED", outcome
    assert "RuntimeError" in json.dumps(outcome.item, default=str) or outcome.item.get("reason")
    assert boto3.client("s3").get_object(Bucket=pipeline.buckets["raw"], Key=key)["Body"].read() == body
    messages = pipeline.drain(alerts, wait_s=3)
    assert any(outcome.item["file_id"] in json.dumps(m) for m in messages), messages


def test_api_single_transactions(pipeline: Pipeline) -> None:
    assert pipeline.api_url, "the api stack has a REST API stage"
    key = next(v for k, v in pipeline.api_keys.items() if "acme" in k)
    good = transaction("e2e-api-1")
    assert pipeline.call("POST", "/transactions", good, key=key)[0] == 201
    assert pipeline.call("POST", "/transactions", good, key=key)[0] == 200  # retried: same answer, stored once
    assert pipeline.call("POST", "/transactions", {**good, "amount": "1.00"}, key=key)[0] == 409
    assert pipeline.call("POST", "/transactions", transaction("e2e-api-2", amount="-1"), key=key)[0] == 400
    assert pipeline.call("POST", "/transactions", good)[0] == 403  # no API key
    stored = pipeline.items("transactions")
    assert sum(1 for i in stored if i.get("transaction_id") == "e2e-api-1") == 1


def test_anomalous_transaction_raises_an_alert(pipeline: Pipeline, alerts: str) -> None:
    key = next(v for k, v in pipeline.api_keys.items() if "acme" in k)
    assert pipeline.call("POST", "/transactions", transaction("e2e-api-big", amount="250000.00"), key=key)[0] == 201
    # The stream consumer batches records; with three test sessions on two cores the emulator's poll,
    # the detector and the SNS fan-out took over 30 s here once (AWS: seconds), and the shard may still hold
    # the rows of the session's earlier files (test_faults loads ~1,100): one emulated shard is read serially.
    # Fails only without an alert.
    deadline, seen = time.time() + 240, []
    while time.time() < deadline and not any("e2e-api-big" in json.dumps(m) for m in seen):
        seen += pipeline.drain(alerts, wait_s=1)
    assert any("e2e-api-big" in json.dumps(m) for m in seen), seen


def test_dead_letter_queues_are_empty(pipeline: Pipeline) -> None:
    depths = pipeline.dlq_depths()
    assert depths, "the stacks have dead-letter queues"
    assert all(v == 0 for v in depths.values()), depths

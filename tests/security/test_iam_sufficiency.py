"""Each handler runs under its own synthesized role policy; a missing permission fails here, not in AWS."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws

from stacks.constructs.table import TableSpec
from stacks.storage.stack import AUDIT, FILES, TRANSACTIONS
from tests.fake_aws import create_table, use_fake_aws
from tests.lambda_context import FakeContext as Context
from tests.security.iam_harness import FunctionUnderTest, function_under_test, run_as
from tests.security.tfjson import Stacks
from tests.synth import Synth
from txnpipe.uploads import file_id_for


@pytest.fixture(scope="module")
def stacks(local: Synth) -> Stacks:
    return Stacks.of(local)


@pytest.fixture
def moto(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    use_fake_aws(monkeypatch)
    with mock_aws():
        yield


# -- file_status ---------------------------------------------------------------------------
def _file_status(fn: FunctionUnderTest, monkeypatch: pytest.MonkeyPatch) -> Any:
    create_table(FILES, fn.environment["FILES_TABLE"])
    create_table(AUDIT, fn.environment["AUDIT_TABLE"])
    with run_as(fn, monkeypatch) as run:
        from file_status.handler import handler

        handler({"file_id": "f1", "status": "RECEIVED"}, Context())  # type: ignore[arg-type]
        handler({"file_id": "f1", "status": "VALIDATING"}, Context())  # type: ignore[arg-type]
    return run


def test_file_status_runs_with_exactly_what_its_role_grants(stacks: Stacks, moto: None,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    fn = function_under_test(stacks, "file_status")
    assert fn.environment["FILES_TABLE"] == "txnpipe-files-local"  # the synthesized environment
    run = _file_status(fn, monkeypatch)
    assert run.denied == []
    assert run.actions == {"dynamodb:UpdateItem", "dynamodb:PutItem"}
    assert {c.resource for c in run.calls} == {
        "arn:aws:dynamodb:us-east-1:123456789012:table/txnpipe-files-local",
        "arn:aws:dynamodb:us-east-1:123456789012:table/txnpipe-audit-local",
    }


def test_the_gate_fails_when_a_needed_action_is_removed(stacks: Stacks, moto: None,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    fn = function_under_test(stacks, "file_status").without("dynamodb:PutItem")
    run = _file_status(fn, monkeypatch)
    assert run.denied == [
        "dynamodb:PutItem on arn:aws:dynamodb:us-east-1:123456789012:table/txnpipe-audit-local (dynamodb.PutItem)"]


# -- the harness itself: moto's enforcement for S3/SQS and the implied KMS actions ------------
def _fake(documents: list[dict[str, Any]], encrypted: dict[str, str] | None = None) -> FunctionUnderTest:
    return FunctionUnderTest(handler="probe", function_name="probe", role_name="probe-role", environment={},
                             documents=documents, encrypted=encrypted or {})


def _doc(*statements: tuple[list[str], str]) -> dict[str, Any]:
    return {"Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": a, "Resource": r} for a, r in statements]}


def test_moto_enforces_s3_and_sqs_and_the_recorder_sees_the_same(moto: None, monkeypatch: pytest.MonkeyPatch) -> None:
    boto3.client("s3").create_bucket(Bucket="probe-bucket")
    url = boto3.client("sqs").create_queue(QueueName="q")["QueueUrl"]
    key = "arn:aws:kms:us-east-1:123456789012:key/k"
    queue = "arn:aws:sqs:us-east-1:123456789012:q"
    fn = _fake([_doc((["s3:GetObject"], "arn:aws:s3:::probe-bucket/*"), (["sqs:SendMessage"], queue),
                     (["kms:GenerateDataKey"], key))],
               encrypted={"arn:aws:s3:::probe-bucket": key, queue: key})
    with run_as(fn, monkeypatch) as run:
        with pytest.raises(ClientError, match="AccessDenied"):
            boto3.client("s3").put_object(Bucket="probe-bucket", Key="k", Body=b"x")
        boto3.client("sqs").send_message(QueueUrl=url, MessageBody="x")
        with pytest.raises(ClientError, match="AccessDenied"):
            boto3.client("sqs").delete_message(QueueUrl=url, ReceiptHandle="r")
    assert run.denied == [
        "kms:Decrypt on arn:aws:kms:us-east-1:123456789012:key/k (sqs.SendMessage)",
        "s3:PutObject on arn:aws:s3:::probe-bucket/k (s3.PutObject)",
        "sqs:DeleteMessage on arn:aws:sqs:us-east-1:123456789012:q (sqs.DeleteMessage)",
    ]


def test_a_grant_on_the_wrong_resource_is_refused(moto: None, monkeypatch: pytest.MonkeyPatch) -> None:
    # Given two tables and a role that may write only the first
    for purpose in ("right", "wrong"):
        create_table(TableSpec(purpose=purpose, hash_key="id"))
    fn = _fake([_doc((["dynamodb:PutItem"], "arn:aws:dynamodb:us-east-1:123456789012:table/right"))])
    # When the role writes the other one
    with run_as(fn, monkeypatch) as run:
        boto3.client("dynamodb").put_item(TableName="wrong", Item={"id": {"S": "1"}})  # moto: grants act as "*"
    # Then the recorder names the denied call
    assert run.denied == ["dynamodb:PutItem on arn:aws:dynamodb:us-east-1:123456789012:table/wrong (dynamodb.PutItem)"]


# -- more handlers, as any handler test would use the harness ------------------------------
def test_register_file_runs_with_what_its_role_grants(stacks: Stacks, moto: None,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    # Given register_file's tables and an upload event
    fn = function_under_test(stacks, "register_file")
    create_table(FILES, fn.environment["FILES_TABLE"])
    create_table(AUDIT, fn.environment["AUDIT_TABLE"])
    event = {"detail": {"bucket": {"name": "txnpipe-raw-local-123456789012"},
                        "object": {"key": "uploads/acme/2026-11-25.csv", "version-id": "v1", "size": 10}}}
    # When it runs under its role
    with run_as(fn, monkeypatch) as run:
        from register_file.handler import handler

        result = handler(event, Context())  # type: ignore[arg-type]
    # Then the file is registered, nothing was denied and it only wrote items
    assert result["duplicate"] is False
    assert run.denied == []
    assert run.actions == {"dynamodb:PutItem"}


def test_a_reprocess_request_runs_with_what_register_files_role_grants(stacks: Stacks, moto: None,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    # Given a file registered and then finished, and an operator's reprocess request for it
    fn = function_under_test(stacks, "register_file")
    create_table(FILES, fn.environment["FILES_TABLE"])
    create_table(AUDIT, fn.environment["AUDIT_TABLE"])
    event = {"detail": {"bucket": {"name": "txnpipe-raw-local-123456789012"},
                        "object": {"key": "uploads/acme/2026-11-26.csv", "version-id": "v1", "size": 10}}}
    file_id = file_id_for("txnpipe-raw-local-123456789012", "uploads/acme/2026-11-26.csv", "v1")
    boto3.resource("dynamodb").Table(fn.environment["FILES_TABLE"]).put_item(
        Item={"file_id": file_id, "status": "COMPLETED"})
    # When the request runs under its role
    with run_as(fn, monkeypatch) as run:
        from register_file.handler import handler

        handler({**event, "reprocess": {"by": "arn:aws:iam::123456789012:user/ops", "at": "2026-12-02T10:00:00Z"}},
                Context())  # type: ignore[arg-type]
    # Then nothing was denied: the file was updated and the reprocess audited
    assert (run.denied, run.actions) == ([], {"dynamodb:UpdateItem", "dynamodb:PutItem"})


def test_anomaly_detector_runs_with_what_its_role_grants_including_the_topic_key(
    stacks: Stacks, moto: None, monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given the detector's topic and tables, and a transaction over the threshold
    fn = function_under_test(stacks, "anomaly_detector")
    topic_arn = fn.environment["ALERT_TOPIC_ARN"]
    assert boto3.client("sns").create_topic(Name=topic_arn.split(":")[-1])["TopicArn"] == topic_arn
    create_table(TRANSACTIONS, fn.environment["TRANSACTIONS_TABLE"])
    create_table(AUDIT, fn.environment["AUDIT_TABLE"])
    from tests.handlers.test_anomaly_detector import record, txn

    big = txn("T-big", amount_minor=1_500_000)
    # When its stream record is handled under the detector's role
    with run_as(fn, monkeypatch) as run:
        from anomaly_detector.handler import handler

        result = handler({"Records": [record(big)]}, Context())  # type: ignore[arg-type]
    # Then it succeeded with nothing denied, querying, auditing and alerting through the CMK
    assert result == {"batchItemFailures": []}
    assert run.denied == []
    assert {"dynamodb:Query", "dynamodb:GetItem", "dynamodb:PutItem", "sns:Publish",
            "kms:GenerateDataKey", "kms:Decrypt"} <= run.actions  # the CMK-encrypted topic implies KMS


def test_aggregator_reads_and_writes_s3_under_moto_enforcement(stacks: Stacks, moto: None,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    # Given the aggregates bucket and one stored transaction
    fn = function_under_test(stacks, "aggregator")
    bucket = fn.environment["AGGREGATES_BUCKET"]
    boto3.client("s3").create_bucket(Bucket=bucket)
    create_table(TRANSACTIONS, fn.environment["TRANSACTIONS_TABLE"])
    from tests.handlers.test_aggregator import txn

    boto3.resource("dynamodb").Table(fn.environment["TRANSACTIONS_TABLE"]).put_item(
        Item=txn("1", "A1", "DEBIT", 1000, "2026-11-25T08:00:00Z"))
    # When the aggregator runs under its role
    with run_as(fn, monkeypatch) as run:
        from aggregator.handler import handler

        result = handler({"scheduled_time": "2026-11-25T12:05:00Z"}, Context())  # type: ignore[arg-type]
    # Then S3 (which moto enforces) let it write the day's totals, and nothing was denied
    assert result["objects"] == ["aggregates/day=2026-11-25/totals.jsonl"]  # moto let the role write it
    assert run.denied == []
    assert {"dynamodb:Query", "s3:GetObject", "s3:PutObject", "kms:GenerateDataKey"} <= run.actions
    assert "dynamodb:Scan" not in run.actions


def test_without_s3_put_object_moto_refuses_the_aggregator(stacks: Stacks, moto: None,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    # Given the aggregator's role without s3:PutObject
    fn = function_under_test(stacks, "aggregator").without("s3:PutObject")
    boto3.client("s3").create_bucket(Bucket=fn.environment["AGGREGATES_BUCKET"])
    create_table(TRANSACTIONS, fn.environment["TRANSACTIONS_TABLE"])
    # When it runs, Then moto refuses the write and the denial is recorded
    with run_as(fn, monkeypatch) as run:
        from aggregator.handler import handler

        with pytest.raises(ClientError, match="AccessDenied"):
            handler({"scheduled_time": "2026-11-25T12:05:00Z"}, Context())  # type: ignore[arg-type]
    assert any(d.startswith("s3:PutObject on arn:aws:s3:::txnpipe-processed-local") for d in run.denied)

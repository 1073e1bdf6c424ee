"""file_status handler against moto DynamoDB: allowed changes land, others are refused."""

from __future__ import annotations

from typing import Any

import pytest
from boto3.dynamodb.conditions import Key

from stacks.storage.stack import AUDIT, FILES
from tests.fake_aws import create_table
from tests.handlers.conftest import FakeContext


@pytest.fixture
def tables(aws: None, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    monkeypatch.setenv("FILES_TABLE", "files")
    monkeypatch.setenv("AUDIT_TABLE", "audit")
    return {"files": create_table(FILES), "audit": create_table(AUDIT)}


def call(event: dict[str, Any]) -> dict[str, Any]:
    from file_status.handler import handler

    return handler(event, FakeContext())  # type: ignore[arg-type]


def test_a_file_moves_through_its_life_cycle_and_every_change_is_audited(tables: dict[str, Any]) -> None:
    # Given a new file, When it goes RECEIVED → VALIDATING → PROCESSING → COMPLETED
    for status in ("RECEIVED", "VALIDATING", "PROCESSING"):
        call({"file_id": "f1", "status": status})
    call({"file_id": "f1", "status": "COMPLETED", "details": {"rows_total": 3, "rows_valid": 3}})
    # Then the item has the final status, counts and one timestamp per status
    item = tables["files"].get_item(Key={"file_id": "f1"})["Item"]
    assert item["status"] == "COMPLETED"
    assert item["rows_total"] == 3
    assert set(item["status_history"]) == {"RECEIVED", "VALIDATING", "PROCESSING", "COMPLETED"}
    # And every change is in the audit trail, in order
    audit = tables["audit"].query(KeyConditionExpression=Key("entity_id").eq("file#f1"))["Items"]
    assert [a["status"] for a in audit] == ["RECEIVED", "VALIDATING", "PROCESSING", "COMPLETED"]


def test_a_skipped_step_is_refused_and_nothing_is_written(tables: dict[str, Any]) -> None:
    from txnpipe.status import TransitionError

    # Given a RECEIVED file
    call({"file_id": "f2", "status": "RECEIVED"})
    # When it is moved straight to COMPLETED, Then the change is refused naming the status
    with pytest.raises(TransitionError, match="COMPLETED"):
        call({"file_id": "f2", "status": "COMPLETED"})
    # And the file keeps its status
    assert tables["files"].get_item(Key={"file_id": "f2"})["Item"]["status"] == "RECEIVED"


def test_a_duplicate_registration_is_refused(tables: dict[str, Any]) -> None:
    from txnpipe.status import TransitionError

    # Given a RECEIVED file, When it is registered again, Then the change is refused
    call({"file_id": "f3", "status": "RECEIVED"})
    with pytest.raises(TransitionError):
        call({"file_id": "f3", "status": "RECEIVED"})


def test_failed_records_its_reason(tables: dict[str, Any]) -> None:
    # Given a RECEIVED file, When it fails with a reason
    call({"file_id": "f4", "status": "RECEIVED"})
    call({"file_id": "f4", "status": "FAILED", "reason": "States.Timeout in Validate"})
    # Then the item is FAILED and carries the reason
    item = tables["files"].get_item(Key={"file_id": "f4"})["Item"]
    assert item["status"] == "FAILED"
    assert item["reason"] == "States.Timeout in Validate"


@pytest.mark.parametrize(("event", "message"), [
    ({"status": "RECEIVED"}, "file_id: required"),
    ({"file_id": "f5", "status": "DONE"}, "status: 'DONE' is not one of"),
])
def test_bad_input_names_what_is_wrong(tables: dict[str, Any], event: dict[str, Any], message: str) -> None:
    # Given a malformed event, When it is handled, Then the error names the field
    with pytest.raises(ValueError, match=message):
        call(event)


def test_every_change_stamps_the_contract_version_of_the_code_that_made_it(tables: dict[str, Any]) -> None:
    from txnpipe.domain.version import CONTRACT_VERSION

    # Given a file registered with an older stamp (written by an earlier deployment)
    call({"file_id": "f1", "status": "RECEIVED"})
    tables["files"].update_item(Key={"file_id": "f1"}, UpdateExpression="SET contract_version = :v",
                                ExpressionAttributeValues={":v": "0.9.0"})
    # When this code moves it on
    call({"file_id": "f1", "status": "VALIDATING"})
    # Then the record names this code's contract version
    assert tables["files"].get_item(Key={"file_id": "f1"})["Item"]["contract_version"] == CONTRACT_VERSION


def _processing_with(tables: dict[str, Any], file_id: str, conflicts: int) -> None:
    for status in ("RECEIVED", "VALIDATING", "PROCESSING"):
        call({"file_id": file_id, "status": status})
    tables["files"].update_item(Key={"file_id": file_id}, UpdateExpression="SET rows_conflicting = :c",
                                ExpressionAttributeValues={":c": conflicts})  # as load_transactions counts them


def test_a_file_asked_to_complete_with_conflicting_rows_is_completed_with_errors(tables: dict[str, Any]) -> None:
    # Given a file whose load set 2 conflicting rows aside, When the state machine marks it COMPLETED
    _processing_with(tables, "f7", conflicts=2)
    answer = call({"file_id": "f7", "status": "COMPLETED"})
    # Then it is recorded, answered and audited as COMPLETED_WITH_ERRORS
    assert answer["status"] == "COMPLETED_WITH_ERRORS"
    assert tables["files"].get_item(Key={"file_id": "f7"})["Item"]["status"] == "COMPLETED_WITH_ERRORS"
    audit = tables["audit"].query(KeyConditionExpression=Key("entity_id").eq("file#f7"))["Items"]
    assert audit[-1]["status"] == "COMPLETED_WITH_ERRORS"


def test_a_file_with_no_conflicting_rows_completes(tables: dict[str, Any]) -> None:
    _processing_with(tables, "f8", conflicts=0)
    assert call({"file_id": "f8", "status": "COMPLETED"})["status"] == "COMPLETED"


def test_a_refused_completion_names_the_status_even_with_conflicting_rows(tables: dict[str, Any]) -> None:
    from txnpipe.status import TransitionError

    # Given a completed file with conflicts, When it is marked COMPLETED again, Then the first refusal is raised
    _processing_with(tables, "f9", conflicts=1)
    call({"file_id": "f9", "status": "COMPLETED"})
    with pytest.raises(TransitionError, match="COMPLETED"):
        call({"file_id": "f9", "status": "COMPLETED"})

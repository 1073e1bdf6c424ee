"""register_file against moto DynamoDB: a new object version becomes a RECEIVED file, stamped, exactly once."""

from __future__ import annotations

from typing import Any

import boto3
import pytest

from stacks.storage.stack import AUDIT, FILES
from tests.fake_aws import create_table
from tests.handlers.conftest import FakeContext
from txnpipe.domain.version import CONTRACT_VERSION

EVENT = {"detail": {"bucket": {"name": "raw"}, "object": {"key": "uploads/acme/day1.csv", "size": 42,
                                                          "version-id": "v1"}}}


@pytest.fixture
def files(aws: None, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("FILES_TABLE", "files")
    monkeypatch.setenv("AUDIT_TABLE", "audit")
    monkeypatch.setenv("LARGE_FILE_BYTES", str(100 * 1024 * 1024))
    create_table(AUDIT)
    return create_table(FILES)


def register() -> dict[str, Any]:
    from register_file.handler import handler

    return handler(EVENT, FakeContext())  # type: ignore[arg-type]


def test_a_new_file_is_received_with_the_contract_version_that_will_judge_it(files: Any) -> None:
    # When an uploaded object version is registered
    file = register()
    # Then its status record is RECEIVED and names the contract version
    item = files.get_item(Key={"file_id": file["file_id"]})["Item"]
    assert (item["status"], item["contract_version"]) == ("RECEIVED", CONTRACT_VERSION)
    assert file["duplicate"] is False


def test_a_repeated_event_registers_nothing_new(files: Any) -> None:
    first, again = register(), register()
    assert (first["file_id"], again["duplicate"]) == (again["file_id"], True)


def reprocess(by: str = "arn:aws:iam::123456789012:user/ops") -> dict[str, Any]:
    from register_file.handler import handler

    return handler({**EVENT, "reprocess": {"by": by, "at": "2026-12-02T10:00:00Z"}}, FakeContext())  # type: ignore[arg-type]


def _finish(files: Any, file_id: str, status: str) -> None:
    files.update_item(Key={"file_id": file_id}, UpdateExpression="SET #s = :s, reason = :r",
                      ExpressionAttributeNames={"#s": "status"}, ExpressionAttributeValues={":s": status, ":r": "x"})


def test_a_reprocessed_terminal_file_is_received_again_and_not_a_duplicate(files: Any) -> None:
    # Given a file that failed
    file_id = register()["file_id"]
    _finish(files, file_id, "FAILED")
    # When an operator reprocesses it
    again = reprocess()
    # Then the same file runs again from RECEIVED, without the old failure reason
    item = files.get_item(Key={"file_id": file_id})["Item"]
    assert (again["file_id"], again["duplicate"], item["status"], "reason" in item) == (file_id, False, "RECEIVED",
                                                                                          False)


def test_a_reprocess_clears_the_load_counts_so_the_new_run_counts_from_zero(files: Any) -> None:
    # Given a completed file whose load counted its rows and parts
    file_id = register()["file_id"]
    files.update_item(Key={"file_id": file_id}, ExpressionAttributeValues={":n": 3, ":p": {"p1"}, ":q": "rejected/x"},
                      UpdateExpression="SET rows_stored = :n, rows_replayed = :n, rows_conflicting = :n, "
                                       "loaded_parts = :p, conflicts_prefix = :q")
    _finish(files, file_id, "COMPLETED")
    # When it is reprocessed, Then none of the load's counts is left on its record
    reprocess()
    item = files.get_item(Key={"file_id": file_id})["Item"]
    left = {"rows_stored", "rows_replayed", "rows_conflicting", "loaded_parts", "conflicts_prefix"} & set(item)
    assert left == set()


def test_a_reprocess_is_audited_with_who_asked_and_the_previous_status(files: Any) -> None:
    file_id = register()["file_id"]
    _finish(files, file_id, "COMPLETED")
    reprocess(by="arn:aws:iam::123456789012:user/alice")
    entries = boto3.resource("dynamodb").Table("audit").scan()["Items"]
    audited = [e for e in entries if e["event"] == "FileReprocessed"]
    assert [(e["entity_id"], e["details"]["by"], e["details"]["previous_status"]) for e in audited] == [
        (f"file#{file_id}", "arn:aws:iam::123456789012:user/alice", "COMPLETED")]


def test_each_reprocess_is_counted(files: Any) -> None:
    file_id = register()["file_id"]
    for _ in range(2):
        _finish(files, file_id, "COMPLETED")
        reprocess()
    assert files.get_item(Key={"file_id": file_id})["Item"]["reprocess_count"] == 2


def test_a_file_still_being_processed_is_not_reprocessed(files: Any) -> None:
    from txnpipe.status import TransitionError

    # Given a file that is still VALIDATING
    file_id = register()["file_id"]
    _finish(files, file_id, "VALIDATING")
    # When an operator asks for a reprocess, Then it is refused and the file keeps its status
    with pytest.raises(TransitionError, match="still being processed"):
        reprocess()
    assert files.get_item(Key={"file_id": file_id})["Item"]["status"] == "VALIDATING"


def test_a_malformed_reprocess_request_is_refused_naming_the_field(files: Any) -> None:
    from register_file.handler import handler

    with pytest.raises(ValueError, match="reprocess: expected"):
        handler({**EVENT, "reprocess": {"by": ""}}, FakeContext())  # type: ignore[arg-type]

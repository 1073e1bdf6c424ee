"""register_file against moto DynamoDB: a new object version becomes a RECEIVED file, stamped, exactly once."""

from __future__ import annotations

from typing import Any

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

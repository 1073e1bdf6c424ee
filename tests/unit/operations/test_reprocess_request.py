"""The reprocess tool's checks and the event it starts the pipeline with (pure: no AWS)."""

from __future__ import annotations

import pytest

from operations.reprocess import NotReprocessable, check, execution_name, upload_event
from txnpipe.uploads import file_id_for

ITEM = {"file_id": "f-1", "status": "COMPLETED", "object_key": "uploads/acme/a.csv", "version_id": "v9",
        "size_bytes": 120}


def test_the_event_names_the_same_object_version_so_it_maps_to_the_same_file() -> None:
    event = upload_event(ITEM, bucket="raw-b", region="us-east-1", account="1")
    detail = event["detail"]
    assert file_id_for(detail["bucket"]["name"], detail["object"]["key"], detail["object"].get("version-id")) == \
        file_id_for("raw-b", "uploads/acme/a.csv", "v9")


def test_an_unversioned_object_has_no_version_id_in_the_event() -> None:
    event = upload_event({**ITEM, "version_id": "null"}, bucket="raw-b", region="us-east-1", account="1")
    assert "version-id" not in event["detail"]["object"]


def test_a_missing_file_is_refused() -> None:
    with pytest.raises(NotReprocessable, match="no file f-9"):
        check(None, "f-9")


@pytest.mark.parametrize("status", ["RECEIVED", "VALIDATING", "PROCESSING"])
def test_a_file_still_running_is_refused(status: str) -> None:
    with pytest.raises(NotReprocessable, match=f"is {status}: only a terminal file"):
        check({**ITEM, "status": status}, "f-1")


@pytest.mark.parametrize("status", ["COMPLETED", "COMPLETED_WITH_ERRORS", "REJECTED", "FAILED"])
def test_a_terminal_file_may_be_reprocessed(status: str) -> None:
    assert check({**ITEM, "status": status}, "f-1")["status"] == status


def test_the_execution_name_is_valid_for_step_functions() -> None:
    name = execution_name("f-" + "a" * 32, "2026-12-02T10:00:00.123Z")
    assert (len(name) <= 80, set(name) <= set("abcdefghijklmnopqrstuvwxyz0123456789-_")) == (True, True)

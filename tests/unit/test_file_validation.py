"""The result validate_file and merge_chunks return, and the state machine's paths into it."""

from __future__ import annotations

from dataclasses import fields

import pytest

from txnpipe.domain.results import RowError
from txnpipe.file_validation import FileValidation, validation_path

CHUNK_RESULT = FileValidation(
    status="INVALID_ROWS", rows_total=3, rows_valid=2, rows_rejected=1, reason=None,
    chunk={"index": 2, "start": 10, "end": 20, "first_row": 7, "header": "a,b"},
    errors_sample=[RowError(8, "amount: not a number")], processed_bucket="processed",
    processed_manifest_key="manifests/f-1/processed-c00002.json", processed_objects=1,
    quarantine_bucket="quarantine", quarantine_key="rejected/partner_id=p1/f-1-c00002.jsonl",
)


def test_the_state_is_plain_json_with_one_key_per_field() -> None:
    # Given a chunk's result, When it is returned to Step Functions
    state = CHUNK_RESULT.to_state()
    # Then every field is a key and the sample is plain objects
    assert list(state) == [f.name for f in fields(FileValidation)]
    assert state["errors_sample"] == [{"row": 8, "reason": "amount: not a number"}]


def test_a_result_read_back_from_its_state_is_the_same_result() -> None:
    # Given a chunk's result as the ResultWriter stored it, When merge_chunks reads it back
    again = FileValidation.from_state(CHUNK_RESULT.to_state())
    # Then nothing is lost (the sample comes back as a tuple of RowError)
    assert again.to_state() == CHUNK_RESULT.to_state()
    assert again.errors_sample == (RowError(8, "amount: not a number"),)


def test_a_state_missing_a_field_is_refused() -> None:
    # Given a state without its quarantine key, When it is read, Then the missing field is named
    state = {k: v for k, v in CHUNK_RESULT.to_state().items() if k != "quarantine_key"}
    with pytest.raises(KeyError, match="quarantine_key"):
        FileValidation.from_state(state)


def test_paths_point_into_the_stored_result() -> None:
    # Given a field name, When the state machine asks for its path, Then it is under $.validation
    assert validation_path("rows_rejected") == "$.validation.rows_rejected"

"""jsonschema (draft 2020-12) with the generated schema judges every JSON row of the corpus as we do.

Rows are JSON files (array and JSON Lines) run through `process_file`; the validator gets the elements
as a partner's `json.loads` parses them. Rows breaking only a rule `contract.limits` lists for JSON
Schema must be accepted by the validator; every other row gets our verdict.
"""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from contract.json_schema import transaction_schema
from contract.limits import JSON_SCHEMA, LIMITS
from tests.contract.corpus import CASES, JSON_CASES, Case, json_text
from tests.contract.verdicts import expected_theirs, json_elements, jsonschema_verdicts, ours
from txnpipe.api.http import HttpError
from txnpipe.api.transactions import parse_transaction

# Rules over a whole file, or across files (first_value_wins: tests/handlers/test_load_transactions.py and
# tests/e2e/test_replays.py), which no row of the corpus can exercise.
NOT_ROW_LEVEL = {"file_level", "first_reason", "first_value_wins"}

Row = tuple[str, frozenset[str], bool]  # (element's JSON text, tags, valid per the contract)


def json_rows() -> list[Row]:
    """Every text and JSON case once, a repeated id, and an element that is not an object."""
    cases = [*CASES, *JSON_CASES]
    rows: list[Row] = [(json_text(case.record(f"J{i:04d}")), case.tags, case.valid) for i, case in enumerate(cases)]
    repeated = json_text(Case("dup", True, {}).record("DUP-1"))
    return [*rows, (repeated, frozenset(), True), (repeated, frozenset({"unique_in_file"}), False),
            ('["not", "an", "object"]', frozenset(), False), ("42", frozenset(), False)]


def expected(our_rows: list[bool], rows: list[Row]) -> list[bool]:
    return [expected_theirs(ok, tags, fmt_name=JSON_SCHEMA, validator="jsonschema")
            for ok, (_, tags, _) in zip(our_rows, rows, strict=True)]


@pytest.mark.parametrize("layout", ["array", "lines"])
def test_every_json_row_gets_our_verdict_from_jsonschema(tmp_path: Path, layout: str) -> None:
    # Given the corpus as a JSON array or as JSON Lines
    rows = json_rows()
    texts = [text for text, _, _ in rows]
    data = ("[\n" + ",\n".join(texts) + "\n]" if layout == "array" else "\n".join(texts) + "\n").encode()
    # When we process the file and jsonschema validates each parsed element
    _, our_rows = ours(data, "json", tmp_path)
    their_rows = jsonschema_verdicts(json_elements(data.decode()))
    # Then ours follow the contract, and theirs ours, except where JSON Schema cannot say
    assert our_rows == [valid for _, _, valid in rows]
    mismatches = [(text, want) for (text, _, _), want, got in zip(rows, expected(our_rows, rows), their_rows, strict=True)
                  if want != got]
    assert mismatches == []


def test_the_api_body_gets_the_same_verdict_as_a_file_row() -> None:
    # Given every object of the corpus as a POST /transactions body (alone, so never a repeated id)
    objects = [(text, valid or "unique_in_file" in tags) for text, tags, valid in json_rows() if text.startswith("{")]

    def accepted(text: str) -> bool:
        try:
            parse_transaction(text.encode())
        except HttpError:
            return False
        return True

    # Then the API accepts exactly the rows a file accepts (the schema serves both)
    assert [accepted(text) for text, _ in objects] == [valid for _, valid in objects]


def test_the_schema_is_valid_draft_2020_12_and_its_example_passes_our_rules() -> None:
    schema = transaction_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    assert jsonschema.Draft202012Validator(schema).is_valid(schema["examples"][0])


def test_every_listed_json_schema_limit_is_exercised() -> None:
    tags = set().union(*(tags for _, tags, _ in json_rows()))
    row_level = {limit.key for limit in LIMITS if JSON_SCHEMA in limit.formats} - NOT_ROW_LEVEL
    assert row_level <= tags


def test_a_pattern_does_not_accept_a_final_line_break_in_python_validators() -> None:
    # Given an id ending in a line break (Python's `$` matches before it), Then the schema still refuses it
    body = json.loads(json_text(Case("nl", False, {}).record("T1\n")))
    assert not jsonschema.Draft202012Validator(transaction_schema()).is_valid(body)

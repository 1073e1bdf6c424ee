"""JSON files: array of objects or JSON Lines; anything else rejects the file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .helpers import GOOD, quarantine, reasons, run


def obj(tid: str, **over: object) -> str:
    return json.dumps(dict(GOOD, transaction_id=tid, **over))


def test_json_array_with_numbers_and_non_objects(tmp_path: Path) -> None:
    text = "[\n " + ",\n ".join([
        obj("T1"), obj("T2").replace('"10.50"', "10.5"), obj("T3").replace('"10.50"', "10.505"),
        "5", '["T4"]', obj("T1"),
    ]) + "\n]\n"
    result = run(text.encode(), tmp_path, fmt="json")
    assert reasons(result) == [
        (3, "amount: more than 2 decimal places for USD"),
        (4, "row: not a JSON object"),
        (5, "row: not a JSON object"),
        (6, "transaction_id: duplicate transaction_id"),
    ]
    assert (result.rows_total, result.rows_valid) == (6, 2)
    raws = [line["raw"] for line in quarantine(tmp_path, result)]
    assert raws[0]["amount"] == 10.505 and raws[1] == 5 and raws[2] == ["T4"]


def test_json_lines_with_blank_lines_crlf_and_a_broken_line(tmp_path: Path) -> None:
    text = "\ufeff" + "\r\n".join([obj("T1"), "", obj("T2"), "{broken", obj("T3", currency="XXX")]) + "\r\n"
    result = run(text.encode(), tmp_path, fmt="json")
    assert [r for r, _ in reasons(result)] == [3, 4]
    assert reasons(result)[0][1].startswith("row: invalid JSON")
    assert reasons(result)[1] == (4, "currency: unsupported currency XXX")
    assert quarantine(tmp_path, result)[0]["raw"] == "{broken"


@pytest.mark.parametrize(
    "text, reason",
    [
        ("", "empty file"),
        ("  \n ", "empty file"),
        ("hello", "not JSON: expected an array of objects or JSON Lines"),
        ('[{"a": 1}, ', "not parseable as JSON: Expecting value"),
        ('[{"a": 1}] trailing', "not parseable as JSON: data after the end of the array"),
        ('{"a": 1\n{"b": 2}\n', "not parseable as JSON Lines"),
        ('[NaN]', "not parseable as JSON"),
    ],
)
def test_unreadable_json_rejects_the_file(tmp_path: Path, text: str, reason: str) -> None:
    result = run(text.encode(), tmp_path, fmt="json")
    assert result.status == "REJECTED" and result.reject_reason is not None
    assert result.reject_reason.startswith(reason)
    assert not (tmp_path / "out" / "processed").exists()


def test_non_utf8_json_is_rejected(tmp_path: Path) -> None:
    result = run(obj("T1").encode().replace(b"Coffee", b"Caf\xe9"), tmp_path, fmt="json")
    assert (result.status, result.reject_reason) == ("REJECTED", "not UTF-8 encoded")


def test_empty_array_is_valid_with_zero_rows(tmp_path: Path) -> None:
    result = run(b"[ ]", tmp_path, fmt="json")
    assert (result.status, result.rows_total) == ("VALID", 0)


def test_large_array_is_read_incrementally(tmp_path: Path) -> None:
    items = [obj(f"T{i}", amount=str(i + 1)) for i in range(20000)]
    result = run(("[" + ",".join(items) + "]").encode(), tmp_path, fmt="json")
    assert (result.status, result.rows_valid) == ("VALID", 20000)
    assert result.bytes_read > 1 << 20

"""The agreement corpus: one case per rule (good and bad values), each tagged with what a format cannot see.

A case changes one field of the contract's example. `valid` is what the contract says (checked against
our code first); `tags` name the `contract.limits` rule or validator difference the case exercises.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Final

from contract.fields import EXAMPLE

REMOVE: Final = object()  #: a case value: the field is absent


@dataclass(frozen=True)
class Case:
    """One record: EXAMPLE with `changes` (REMOVE deletes a field)."""

    name: str
    valid: bool
    changes: dict[str, object]
    tags: frozenset[str] = field(default_factory=frozenset)

    def record(self, transaction_id: str) -> dict[str, object]:
        """The record, with its own id unless the case sets one."""
        record: dict[str, object] = {**EXAMPLE, "transaction_id": transaction_id}
        for key, value in self.changes.items():
            if value is REMOVE:
                record.pop(key, None)
            else:
                record[key] = value
        return record


def _cases(valid: bool, field_name: str, values: list[object], *tags: str) -> list[Case]:
    return [Case(f"{field_name}={value!r}", valid, {field_name: value}, frozenset(tags)) for value in values]


_IDS_BAD: Final = ["", "A" * 65, "A B", "é", "١٢", "T;1"]
_AMOUNTS_BAD: Final = ["-10.00", "+1", "1e3", " 10.00", "10 000", "1,000.00", "$10", "10.00USD", "10.", ".5", "abc",
                       "0", "0.00", "000", "1234567890123", "10.501", ""]
_TIMESTAMPS_BAD: Final = [
    "2024-01-01T10:00:00", "2024-01-01T10:00Z", "2024-01-01t10:00:00z", "2024-01-01 10:00:00Z",
    "2024-01-01T10:00:00+0530", "2024-01-01T10:00:00+05", "2024-01-01T10:00:00+24:00", "2024-01-01T10:00:00+05:60",
    "2024-01-01T24:00:00Z", "2024-01-01T23:59:60Z", "2024-13-01T10:00:00Z", "2024-00-10T10:00:00Z",
    "2024-01-32T10:00:00Z", "0000-01-01T00:00:00Z", "2024-01-01T10:00:00.1234567890Z", "",
]  # fmt: skip

CASES: Final = (
    Case("the example", True, {}),
    *_cases(True, "transaction_id", ["a-Z_9" + "x" * 59, "0"]),
    *_cases(True, "amount", ["0.01", "007.10", "123456789012.99", "000000000000.5", "10.5", "7"]),
    Case("JPY whole amount", True, {"amount": "1000", "currency": "JPY"}),
    Case("JPY leading zeros", True, {"amount": "0001", "currency": "JPY"}),
    *_cases(True, "transaction_type", ["CREDIT", "TRANSFER"]),
    *_cases(True, "timestamp", ["2024-02-29T12:00:00-00:00", "2024-01-01T10:00:00.987654321Z",
                                "2024-12-31T23:59:59+23:59", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z"]),
    *_cases(True, "merchant_id", ["", REMOVE, "m" * 64]),
    *_cases(True, "description", ["", REMOVE, "x" * 256, "é" * 256, 'Book "Dune", 2nd\nline']),
    *_cases(False, "transaction_id", _IDS_BAD),
    *_cases(False, "transaction_id", [REMOVE]),
    *_cases(False, "account_id", [*_IDS_BAD, REMOVE]),
    *_cases(False, "amount", [*_AMOUNTS_BAD, REMOVE]),
    Case("JPY with a fraction", False, {"amount": "100.5", "currency": "JPY"}, frozenset({"fraction_per_currency"})),
    Case("JPY with .0", False, {"amount": "100.0", "currency": "JPY"}, frozenset({"fraction_per_currency"})),
    *_cases(False, "currency", ["usd", "US", "XXX", "EURO", "", REMOVE]),
    *_cases(False, "transaction_type", ["debit", "REFUND", "", "DEBIT ", REMOVE]),
    *_cases(False, "timestamp", [*_TIMESTAMPS_BAD, REMOVE]),
    *_cases(False, "timestamp", ["2024-02-30T10:00:00Z", "2023-02-29T10:00:00Z", "2024-04-31T10:00:00Z"], "calendar"),
    *_cases(False, "timestamp", ["0001-01-01T00:30:00+01:00", "9999-12-31T23:30:00-01:00"], "utc_range"),
    *_cases(False, "merchant_id", ["M 1", "m" * 65, "é"]),
    *_cases(False, "description", ["x" * 257, "é" * 257]),
    *(Case(f"{name} ending in a line break", False, {name: f"{EXAMPLE[name]}\n"}, frozenset({"trailing_newline"}))
      for name in ("transaction_id", "account_id", "amount", "timestamp", "merchant_id")),
)

class Raw(str):
    """A JSON value written exactly as this text (numbers keep their form: 1e2, 100.0)."""


#: JSON only: values that are not text (a JSON number for amount is judged by its source text).
JSON_CASES: Final = (
    Case("amount number 10.5", True, {"amount": Raw("10.5")}),
    Case("amount number 10.50", True, {"amount": Raw("10.50")}),
    Case("amount number JPY 1000", True, {"amount": Raw("1000"), "currency": "JPY"}),
    Case("merchant null", True, {"merchant_id": None}),
    Case("description null", True, {"description": None}),
    Case("an extra property", True, {"note": {"any": ["thing"]}}),
    Case("amount number 10.505", False, {"amount": Raw("10.505")}, frozenset({"number_text"})),
    Case("amount number 10.500", False, {"amount": Raw("10.500")}, frozenset({"number_text"})),
    Case("amount number 1e2", False, {"amount": Raw("1e2")}, frozenset({"number_text"})),
    Case("amount number JPY 100.0", False, {"amount": Raw("100.0"), "currency": "JPY"}, frozenset({"number_text"})),
    Case("amount number JPY 1.5", False, {"amount": Raw("1.5"), "currency": "JPY"}),
    Case("amount number -5", False, {"amount": Raw("-5")}),
    Case("amount number -0", False, {"amount": Raw("-0")}),
    Case("amount number 0", False, {"amount": Raw("0")}),
    Case("amount number 1e13", False, {"amount": Raw("1e13")}),
    Case("amount number 10^12", False, {"amount": Raw("1000000000000")}),
    Case("amount true", False, {"amount": True}),
    Case("amount object", False, {"amount": {"value": "1"}}),
    Case("amount null", False, {"amount": None}),
    Case("transaction_id number", False, {"transaction_id": Raw("123")}),
    Case("currency number", False, {"currency": Raw("840")}),
    Case("timestamp null", False, {"timestamp": None}),
    Case("description number", False, {"description": Raw("5")}),
    Case("merchant list", False, {"merchant_id": ["M1"]}),
)


def json_text(record: dict[str, object]) -> str:
    """`record` as JSON, with `Raw` values written as their exact text."""
    raws: dict[str, str] = {}

    def token(value: object) -> object:
        if isinstance(value, Raw):
            key = f"@raw{len(raws)}@"
            raws[key] = str(value)
            return key
        return value

    text = json.dumps({k: token(v) for k, v in record.items()}, ensure_ascii=False)
    for key, raw in raws.items():
        text = text.replace(f'"{key}"', raw)
    return text

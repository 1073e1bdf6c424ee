"""The contract's fields as the artifacts describe them: rules from `txnpipe.domain`, prose written here."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Final

from contract import patterns
from txnpipe.domain.amounts import MAX_INTEGER_DIGITS
from txnpipe.domain.rules import (
    FIELDS,
    MAX_DESCRIPTION_LENGTH,
    MAX_ID_LENGTH,
    REQUIRED_FIELDS,
    SUPPORTED_CURRENCIES,
    TRANSACTION_TYPES,
)
from txnpipe.domain.timestamps import MAX_FRACTION_DIGITS


@dataclass(frozen=True, kw_only=True)
class FieldRule:
    """What one field must look like, in terms every format shares."""

    name: str
    required: bool
    description: str
    pattern: str | None = None  #: a `contract.patterns` body (whole value)
    max_length: int | None = None
    enum: tuple[str, ...] | None = None
    unique: bool = False  #: within one file
    json_number: bool = False  #: a JSON number is accepted too (judged by its text)


#: A transaction that passes every rule (a test keeps it valid); the artifacts' example.
EXAMPLE: Final[Mapping[str, str]] = {
    "transaction_id": "TXN-0001", "account_id": "ACC-42", "amount": "125.50", "currency": "EUR",
    "transaction_type": "DEBIT", "timestamp": "2026-11-25T14:03:07+01:00", "merchant_id": "M-1001",
    "description": "Groceries, weekly",
}  # fmt: skip

_DESCRIPTIONS: Final = {
    "transaction_id": "The partner's id of the transaction; unique within one file (a repeated id rejects the "
                      "later rows). Unique per partner for good: the first value stored wins (a later file's row "
                      "with other content is quarantined; through the API it is a 409).",
    "account_id": "The partner's account the transaction belongs to.",
    "amount": f"Plain decimal text > 0: digits, optionally '.' and fraction digits; at most {MAX_INTEGER_DIGITS} "
              "integer digits; at most as many fraction digits as the currency's minor unit ("
              + ", ".join(f"{c} {d}" for c, d in SUPPORTED_CURRENCIES.items() if not d)
              + f", the others {max(SUPPORTED_CURRENCIES.values())}). No sign, exponent, spaces, thousands "
              "separators or currency symbols. In JSON a number is accepted too, judged by its text as sent.",
    "currency": "ISO 4217 alphabetic code from the supported set.",
    "transaction_type": "DEBIT (stored with a negative signed amount), CREDIT or TRANSFER; exact, upper case.",
    "timestamp": "ISO 8601 / RFC 3339 date-time with seconds and an explicit offset (Z or +hh:mm/-hh:mm), "
                 f"upper-case T and Z, up to {MAX_FRACTION_DIGITS} fraction digits; a real calendar date and time; stored "
                 "normalized to UTC.",
    "merchant_id": "Optional; empty or absent means none.",
    "description": f"Optional free text, up to {MAX_DESCRIPTION_LENGTH} characters (Unicode code points), kept "
                   "verbatim.",
}  # fmt: skip


def _rule(name: str) -> FieldRule:
    base = FieldRule(name=name, required=name in REQUIRED_FIELDS, description=_DESCRIPTIONS[name])
    if name in ("transaction_id", "account_id", "merchant_id"):
        return replace(base, pattern=patterns.identifier(), max_length=MAX_ID_LENGTH, unique=name == "transaction_id")
    if name == "amount":
        return replace(base, pattern=patterns.amount(max(SUPPORTED_CURRENCIES.values())), json_number=True)
    if name == "currency":
        return replace(base, enum=tuple(SUPPORTED_CURRENCIES))
    if name == "transaction_type":
        return replace(base, enum=TRANSACTION_TYPES)
    if name == "timestamp":
        return replace(base, pattern=patterns.timestamp())
    if name == "description":
        return replace(base, max_length=MAX_DESCRIPTION_LENGTH)
    raise ValueError(f"field {name!r} of txnpipe.domain.rules.FIELDS has no rule in contract.fields")


def field_rules() -> tuple[FieldRule, ...]:
    """Every contract field, in the contract's order (the order reasons are checked in)."""
    if set(_DESCRIPTIONS) != set(FIELDS):
        raise ValueError(f"contract.fields describes {sorted(_DESCRIPTIONS)}, the code has {list(FIELDS)}")
    return tuple(_rule(name) for name in FIELDS)


def fraction_groups() -> dict[int, list[str]]:
    """Supported currencies grouped by their minor-unit digits, e.g. {0: ["JPY"], 2: [...]}."""
    groups: dict[int, list[str]] = {}
    for code, digits in SUPPORTED_CURRENCIES.items():
        groups.setdefault(digits, []).append(code)
    return dict(sorted(groups.items()))


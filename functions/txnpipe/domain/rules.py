"""Row rules of the transaction data contract (pure, no I/O)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

from txnpipe.domain.amounts import amount_text, check_amount, to_minor_units
from txnpipe.domain.jsonutil import JsonNumber
from txnpipe.domain.timestamps import parse_timestamp

_TWO_DIGIT_CODES = (
    "USD", "EUR", "GBP", "CHF", "CAD", "AUD", "NZD", "SEK", "NOK",
    "DKK", "SGD", "HKD", "INR", "BRL", "MXN", "ZAR", "PLN", "CZK",
)  # fmt: skip
#: Supported ISO 4217 codes and their minor-unit digits (JPY has none).
SUPPORTED_CURRENCIES: Final[Mapping[str, int]] = MappingProxyType(
    {code: 2 for code in _TWO_DIGIT_CODES}
    | {"JPY": 0}
)
TRANSACTION_TYPES: Final = ("DEBIT", "CREDIT", "TRANSFER")
#: Contract fields in the order of the table (first failure in this order is reported).
FIELDS: Final = (
    "transaction_id", "account_id", "amount", "currency",
    "transaction_type", "timestamp", "merchant_id", "description",
)  # fmt: skip
REQUIRED_FIELDS: Final = FIELDS[:6]
OPTIONAL_FIELDS: Final = FIELDS[6:]
MAX_ID_LENGTH: Final = 64
MAX_DESCRIPTION_LENGTH: Final = 256
DUPLICATE_REASON: Final = "transaction_id: duplicate transaction_id"

#: Characters allowed in identifiers (a regex character-class body, ASCII only).
ID_CHARACTERS: Final = "A-Za-z0-9_-"

_ID = re.compile(f"[{ID_CHARACTERS}]+", re.ASCII)
_CURRENCY_SHAPE = re.compile(r"[A-Z]{3}", re.ASCII)


@dataclass(frozen=True, slots=True)
class Transaction:
    """A transaction that passed every row rule, with its derived fields."""

    transaction_id: str
    account_id: str
    amount: str  #: the validated decimal text as sent (JSON numbers: their exact text)
    currency: str
    transaction_type: str
    timestamp: str  #: as sent
    merchant_id: str | None  #: None when absent or empty
    description: str | None  #: None when absent or empty
    amount_minor: int
    signed_amount_minor: int
    timestamp_utc: str  #: ``YYYY-MM-DDTHH:MM:SSZ`` (fractional seconds truncated)
    epoch_seconds: int  #: timestamp_utc as seconds since 1970-01-01T00:00:00Z

    def to_item(
        self, partner_id: str, file_id: str | None, source_row: int | None, ingested_at: str
    ) -> dict[str, str | int]:
        """The stored record (e.g. a DynamoDB item); None-valued optional keys are omitted."""
        item: dict[str, str | int | None] = {
            "transaction_id": self.transaction_id,
            "account_id": self.account_id,
            "amount": self.amount,
            "currency": self.currency,
            "transaction_type": self.transaction_type,
            "timestamp": self.timestamp,
            "merchant_id": self.merchant_id,
            "description": self.description,
            "amount_minor": self.amount_minor,
            "signed_amount_minor": self.signed_amount_minor,
            "timestamp_utc": self.timestamp_utc,
            "partner_id": partner_id,
            "file_id": file_id,
            "source_row": source_row,
            "ingested_at": ingested_at,
        }
        return {key: value for key, value in item.items() if value is not None}


def _string(record: Mapping[str, object], field: str) -> str | None:
    """The field's text; "" when absent/null; None when it is not a JSON string."""
    value = record.get(field)
    if value is None:
        return ""
    if isinstance(value, str) and not isinstance(value, JsonNumber):
        return value
    return None


def _identifier_problem(text: str) -> str | None:
    if text == "":
        return "required"
    if len(text) > MAX_ID_LENGTH:
        return f"longer than {MAX_ID_LENGTH} characters"
    if _ID.fullmatch(text) is None:
        return "invalid characters (allowed: A-Z a-z 0-9 _ -)"
    return None


def check_identifier(record: Mapping[str, object], field: str) -> str | None:
    """Problem text ("<field>: ...") for a required identifier field, or None if it is valid."""
    text = _string(record, field)
    problem = "must be a string" if text is None else _identifier_problem(text)
    return None if problem is None else f"{field}: {problem}"


def _currency_problem(text: str | None) -> str | None:
    if text is None:
        return "must be a string"
    if text == "":
        return "required"
    if _CURRENCY_SHAPE.fullmatch(text) is None:
        return "must be 3 upper-case letters (ISO 4217)"
    if text not in SUPPORTED_CURRENCIES:
        return f"unsupported currency {text}"
    return None


def _optional_problem(record: Mapping[str, object], field: str, limit: int) -> str | None:
    text = _string(record, field)
    if text is None:
        return f"{field}: must be a string"
    if len(text) > limit:
        return f"{field}: longer than {limit} characters"
    if field == "merchant_id" and text and _ID.fullmatch(text) is None:
        return f"{field}: invalid characters (allowed: A-Z a-z 0-9 _ -)"
    return None


def validate_record(record: Mapping[str, object]) -> Transaction | str:
    """Apply every row rule to one record; return the Transaction or ``"<field>: <problem>"``.

    Values may be ``str`` (CSV, JSON strings), :class:`JsonNumber`, ``int`` or ``Decimal`` (JSON
    numbers, accepted for ``amount`` only) or ``None`` (absent). A ``float`` amount raises TypeError.
    """
    for field in ("transaction_id", "account_id"):
        problem = check_identifier(record, field)
        if problem:
            return problem
    raw_amount = record.get("amount")
    text = "" if raw_amount is None else amount_text(raw_amount)
    checked = "must be a string or JSON number" if text is None else check_amount(text)
    if isinstance(checked, str):
        return f"amount: {checked}"
    currency = _string(record, "currency")
    currency_problem = _currency_problem(currency)
    digits = SUPPORTED_CURRENCIES.get(currency or "", 0)
    if currency_problem is None and len(checked[1]) > digits:
        return f"amount: more than {digits} decimal places for {currency}"
    if currency_problem is not None:
        return f"currency: {currency_problem}"
    return _finish(record, text or "", checked, currency or "", digits)


def _finish(
    record: Mapping[str, object], amount: str, parts: tuple[str, str], currency: str, digits: int
) -> Transaction | str:
    kind = _string(record, "transaction_type")
    if kind not in TRANSACTION_TYPES:
        return "transaction_type: " + (
            "required" if kind == "" else "must be one of DEBIT, CREDIT, TRANSFER"
        )
    stamp = _string(record, "timestamp")
    moment = "must be a string" if stamp is None else parse_timestamp(stamp)
    if isinstance(moment, str):
        return f"timestamp: {moment}"
    for field, limit in (("merchant_id", MAX_ID_LENGTH), ("description", MAX_DESCRIPTION_LENGTH)):
        problem = _optional_problem(record, field, limit)
        if problem:
            return problem
    minor = to_minor_units(*parts, digits)
    return Transaction(
        transaction_id=str(record["transaction_id"]),
        account_id=str(record["account_id"]),
        amount=amount,
        currency=currency,
        transaction_type=str(kind),
        timestamp=str(stamp),
        merchant_id=_string(record, "merchant_id") or None,
        description=_string(record, "description") or None,
        amount_minor=minor,
        signed_amount_minor=-minor if kind == "DEBIT" else minor,
        timestamp_utc=moment.iso,
        epoch_seconds=moment.epoch_seconds,
    )

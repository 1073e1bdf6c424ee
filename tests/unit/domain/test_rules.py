"""Row rules: one test per rule of the contract (Given a record, When validated, Then ...)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from txnpipe.domain import SUPPORTED_CURRENCIES, Transaction, loads_json, validate_record

from .helpers import GOOD, record


def reason_of(**changes: object) -> str:
    outcome = validate_record(record(**changes))
    assert isinstance(outcome, str), outcome
    return outcome


def valid(**changes: object) -> Transaction:
    outcome = validate_record(record(**changes))
    assert isinstance(outcome, Transaction), outcome
    return outcome


def test_given_a_good_record_then_derived_fields_are_exact() -> None:
    txn = valid()
    assert (txn.amount_minor, txn.signed_amount_minor) == (1050, -1050)
    assert txn.timestamp_utc == "2024-01-31T18:00:00Z"
    assert (txn.merchant_id, txn.description) == ("M_1", "Coffee")
    assert isinstance(txn.amount_minor, int)


def test_supported_currencies_have_iso_minor_units() -> None:
    assert SUPPORTED_CURRENCIES["JPY"] == 0
    expected = {"USD", "EUR", "GBP", "CHF", "CAD", "AUD", "NZD", "SEK", "NOK",
                "DKK", "SGD", "HKD", "INR", "BRL", "MXN", "ZAR", "PLN", "CZK"}
    assert {code for code, digits in SUPPORTED_CURRENCIES.items() if digits == 2} == expected
    assert len(SUPPORTED_CURRENCIES) == 19


@pytest.mark.parametrize("kind, sign", [("DEBIT", -1), ("CREDIT", 1), ("TRANSFER", 1)])
def test_signed_amount_is_negative_only_for_debit(kind: str, sign: int) -> None:
    assert valid(transaction_type=kind).signed_amount_minor == sign * 1050


@pytest.mark.parametrize("field", ["transaction_id", "account_id"])
@pytest.mark.parametrize(
    "value, problem",
    [
        ("", "required"),
        ("A" * 65, "longer than 64 characters"),
        ("A B", "invalid characters (allowed: A-Z a-z 0-9 _ -)"),
        ("é", "invalid characters (allowed: A-Z a-z 0-9 _ -)"),
        ("١٢", "invalid characters (allowed: A-Z a-z 0-9 _ -)"),  # non-ASCII digits
        ("T1\n", "invalid characters (allowed: A-Z a-z 0-9 _ -)"),
    ],
)
def test_identifiers_must_be_1_to_64_safe_characters(field: str, value: str, problem: str) -> None:
    assert reason_of(**{field: value}) == f"{field}: {problem}"


@pytest.mark.parametrize("field", ["transaction_id", "account_id"])
def test_identifiers_accept_64_chars_and_report_missing_key(field: str) -> None:
    assert valid(**{field: "a-Z_9" + "x" * 59}).amount_minor == 1050
    assert validate_record({k: v for k, v in GOOD.items() if k != field}) == f"{field}: required"


@pytest.mark.parametrize(
    "amount, problem",
    [
        ("-10.00", "sign not allowed"),
        ("+10.00", "sign not allowed"),
        ("1e3", "exponent not allowed"),
        ("1.5E2", "exponent not allowed"),
        (" 10.00", "spaces not allowed"),
        ("10 000", "spaces not allowed"),
        ("1,000.00", "thousands separators not allowed"),
        ("$10.00", "currency symbols not allowed"),
        ("10.00USD", "currency symbols not allowed"),
        ("10.", "not a plain decimal number"),
        (".5", "not a plain decimal number"),
        ("abc", "not a plain decimal number"),
        ("0", "must be greater than 0"),
        ("0.00", "must be greater than 0"),
        ("1234567890123", "more than 12 integer digits"),
        ("10.501", "more than 2 decimal places for USD"),
        ("", "required"),
    ],
)
def test_amount_must_be_a_plain_positive_decimal(amount: str, problem: str) -> None:
    assert reason_of(amount=amount) == f"amount: {problem}"


@pytest.mark.parametrize(
    "amount, currency, minor",
    [("123456789012.99", "USD", 12345678901299), ("0.01", "EUR", 1), ("7", "GBP", 700),
     ("10.5", "USD", 1050), ("1000", "JPY", 1000), ("007.10", "CHF", 710)],
)
def test_amount_minor_units_per_currency(amount: str, currency: str, minor: int) -> None:
    assert valid(amount=amount, currency=currency).amount_minor == minor


def test_jpy_allows_no_decimal_places() -> None:
    assert reason_of(amount="100.0", currency="JPY") == "amount: more than 0 decimal places for JPY"


@pytest.mark.parametrize(
    "currency, problem",
    [("usd", "must be 3 upper-case letters (ISO 4217)"), ("US", "must be 3 upper-case letters (ISO 4217)"),
     ("XXX", "unsupported currency XXX"), ("", "required")],
)
def test_currency_must_be_a_supported_iso_code(currency: str, problem: str) -> None:
    assert reason_of(currency=currency) == f"currency: {problem}"


def test_unknown_currency_is_reported_before_the_decimal_places_check() -> None:
    assert reason_of(amount="1.234", currency="XXX") == "currency: unsupported currency XXX"


@pytest.mark.parametrize("kind", ["debit", "REFUND", "", "DEBIT "])
def test_transaction_type_is_exact(kind: str) -> None:
    assert reason_of(transaction_type=kind).startswith("transaction_type: ")


@pytest.mark.parametrize(
    "stamp, utc",
    [
        ("2024-01-01T10:00:00Z", "2024-01-01T10:00:00Z"),
        ("2024-01-01T10:00:00+05:30", "2024-01-01T04:30:00Z"),
        ("2024-01-01T01:00:00+05:30", "2023-12-31T19:30:00Z"),
        ("2024-12-31T22:00:00-05:00", "2025-01-01T03:00:00Z"),
        ("2024-02-29T12:00:00-00:00", "2024-02-29T12:00:00Z"),
        ("2024-01-01T10:00:00.987654321Z", "2024-01-01T10:00:00Z"),
    ],
)
def test_timestamps_are_normalised_to_utc(stamp: str, utc: str) -> None:
    txn = valid(timestamp=stamp)
    assert (txn.timestamp_utc, txn.timestamp) == (utc, stamp)


@pytest.mark.parametrize(
    "stamp, problem",
    [
        ("2024-01-01T10:00:00", "missing time zone offset (Z or +hh:mm/-hh:mm)"),
        ("2024-01-01T10:00Z", "seconds are required"),
        ("2024-01-01T10:00", "seconds are required"),
        ("2024-02-30T10:00:00Z", "invalid calendar date or time"),
        ("2023-02-29T10:00:00Z", "invalid calendar date or time"),
        ("2024-01-01T23:59:60Z", "invalid calendar date or time"),
        ("2024-01-01T24:00:00Z", "invalid calendar date or time"),
        ("2024-01-01T10:00:00+24:00", "invalid offset (hours 00-23, minutes 00-59)"),
        ("0001-01-01T00:00:00+01:00", "out of range after conversion to UTC"),
        ("2024-01-01 10:00:00Z", "not an ISO 8601 date-time (YYYY-MM-DDTHH:MM:SS plus Z or +hh:mm)"),
        ("2024-01-01T10:00:00+0530", "not an ISO 8601 date-time (YYYY-MM-DDTHH:MM:SS plus Z or +hh:mm)"),
        ("2024-01-01T10:00:00z", "not an ISO 8601 date-time (YYYY-MM-DDTHH:MM:SS plus Z or +hh:mm)"),
        ("", "required"),
    ],
)
def test_timestamp_needs_seconds_offset_and_a_real_date(stamp: str, problem: str) -> None:
    assert reason_of(timestamp=stamp) == f"timestamp: {problem}"


def test_optional_fields_may_be_absent_or_empty() -> None:
    txn = valid(merchant_id=None, description=None)
    assert (txn.merchant_id, txn.description) == (None, None)
    txn = valid(merchant_id="", description="")
    assert (txn.merchant_id, txn.description) == (None, None)


def test_optional_field_limits() -> None:
    assert valid(merchant_id="M" * 64, description="d" * 256).description == "d" * 256
    assert reason_of(merchant_id="M" * 65) == "merchant_id: longer than 64 characters"
    assert reason_of(merchant_id="M 1") == "merchant_id: invalid characters (allowed: A-Z a-z 0-9 _ -)"
    assert reason_of(description="d" * 257) == "description: longer than 256 characters"
    assert valid(description="multi\nline, \"quoted\" ünïcödé").description is not None


def test_first_failure_in_table_order_is_reported() -> None:
    assert reason_of(account_id="", amount="-1", currency="usd") == "account_id: required"
    assert reason_of(amount="-1", timestamp="bad") == "amount: sign not allowed"
    assert reason_of(timestamp="bad", merchant_id="x y").startswith("timestamp: ")


def test_json_numbers_are_judged_on_their_exact_text() -> None:
    def parsed(amount_json: str) -> Transaction | str:
        text = (
            '{"transaction_id": "T1", "account_id": "A1", "amount": ' + amount_json
            + ', "currency": "USD", "transaction_type": "CREDIT", "timestamp": "2024-01-01T00:00:00Z"}'
        )
        value = loads_json(text)
        assert isinstance(value, dict)
        return validate_record(value)

    ok = parsed("10.5")
    assert isinstance(ok, Transaction) and ok.amount_minor == 1050 and ok.amount == "10.5"
    assert isinstance(parsed("25"), Transaction)
    assert parsed("10.505") == "amount: more than 2 decimal places for USD"
    assert parsed("1e2") == "amount: exponent not allowed"
    assert parsed("-5") == "amount: sign not allowed"
    assert parsed("0") == "amount: must be greater than 0"
    assert parsed("true") == "amount: must be a string or JSON number"
    assert parsed("null") == "amount: required"


def test_python_int_and_decimal_amounts_are_accepted_and_bool_float_are_not() -> None:
    assert valid(amount=12).amount_minor == 1200
    assert valid(amount=Decimal("12.34")).amount_minor == 1234
    assert reason_of(amount=True) == "amount: must be a string or JSON number"
    with pytest.raises(TypeError, match="float"):
        validate_record(record(amount=10.5))


def test_non_string_json_values_are_rejected_naming_the_field() -> None:
    assert reason_of(transaction_id=5) == "transaction_id: must be a string"
    number = loads_json("5")
    assert reason_of(transaction_id=number) == "transaction_id: must be a string"
    assert reason_of(currency=["USD"]) == "currency: must be a string"
    assert reason_of(description=7) == "description: must be a string"


def test_to_item_adds_lineage_and_omits_empty_optionals() -> None:
    item = valid(merchant_id="").to_item("p1", "f1", 3, "2026-11-25T00:00:00Z")
    assert item["partner_id"] == "p1" and item["source_row"] == 3 and item["file_id"] == "f1"
    assert item["amount_minor"] == 1050 and item["signed_amount_minor"] == -1050
    assert "merchant_id" not in item
    api_item = valid().to_item("p1", None, None, "2026-11-25T00:00:00Z")
    assert "file_id" not in api_item and "source_row" not in api_item

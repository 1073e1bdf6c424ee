"""Amount rule: plain decimal text, converted exactly to integer minor units."""

from __future__ import annotations

import re
from decimal import Decimal

from txnpipe.domain.jsonutil import JsonNumber

MAX_INTEGER_DIGITS = 12

_PLAIN = re.compile(r"([0-9]+)(?:\.([0-9]+))?", re.ASCII)
_SYMBOLS = frozenset("$€£¥₹₩¤")
_CODE = re.compile(r"[A-Z]{3}[0-9.]+|[0-9.]+[A-Z]{3}", re.ASCII)


def amount_text(value: object) -> str | None:
    """Return the decimal text of a str / JSON number / int / Decimal, or None for other types.

    Raises TypeError for a Python float: its JSON text is lost, so it cannot be judged exactly.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, float):
        raise TypeError("amount is a float; parse JSON with txnpipe.domain.loads_json")
    if isinstance(value, str):  # includes JsonNumber (exact JSON number text)
        return str.__str__(value) if isinstance(value, JsonNumber) else value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        return str(value) if value.is_finite() else "NaN"
    return None


def _format_problem(text: str) -> str:
    """Explain why ``text`` is not a plain decimal (most specific problem first)."""
    if text.strip() != text or " " in text:
        return "spaces not allowed"
    if text[:1] in "+-":
        return "sign not allowed"
    if "e" in text.lower() and any(c.isdigit() for c in text):
        return "exponent not allowed"
    if "," in text or "_" in text or "'" in text:
        return "thousands separators not allowed"
    if any(c in _SYMBOLS for c in text) or _CODE.fullmatch(text):
        return "currency symbols not allowed"
    return "not a plain decimal number"


def check_amount(text: str) -> tuple[str, str] | str:
    """Check currency-independent amount rules; return (integer, fraction) digits or a problem."""
    if text == "":
        return "required"
    match = _PLAIN.fullmatch(text)
    if match is None:
        return _format_problem(text)
    integer, fraction = match.group(1), match.group(2) or ""
    if len(integer) > MAX_INTEGER_DIGITS:
        return f"more than {MAX_INTEGER_DIGITS} integer digits"
    if integer.strip("0") == "" and fraction.strip("0") == "":
        return "must be greater than 0"
    return integer, fraction


def to_minor_units(integer: str, fraction: str, digits: int) -> int:
    """Exact integer minor units for already-checked digit strings (no float involved)."""
    return int(integer + fraction.ljust(digits, "0"))

"""The contract's value patterns, built from the code's constants, in the two regex dialects the formats use.

A *body* is written in the common subset of XML Schema regular expressions (Table Schema patterns,
which always match the whole value) and ECMA-262 (JSON Schema, OpenAPI, ODCS): character classes,
counted repetition and plain groups only; no anchors, lookarounds or non-capturing groups.
`ecma()` anchors a body for the formats whose patterns match anywhere in the value.

Positivity and ranges are spelled out as alternatives (no lookahead), so the same body is valid in
both dialects: e.g. "1 to 12 digits, at least one of them non-zero" is one alternative per count
of leading zeros.
"""

from __future__ import annotations

from typing import Final

from txnpipe.domain.amounts import MAX_INTEGER_DIGITS
from txnpipe.domain.rules import ID_CHARACTERS, MAX_ID_LENGTH
from txnpipe.domain.timestamps import MAX_FRACTION_DIGITS, MAX_OFFSET_HOURS, MAX_OFFSET_MINUTES

#: ECMA-262 anchors. `(?!\n)` after `$` changes nothing in ECMA-262 (`$` is the end of the value there)
#: but stops Python's `re`, which many JSON Schema validators use, from matching `$` before a final
#: line break, so `"T1\n"` fails everywhere (see docs/contract/README.md).
_START: Final = "^"
_END: Final = "$(?!\\n)"


def ecma(body: str) -> str:
    """`body` anchored to the whole value for ECMA-262 `pattern` keywords."""
    return f"{_START}({body}){_END}"


def _alternatives(options: list[str]) -> str:
    return "(" + "|".join(options) + ")"


def nonzero_digits(max_digits: int) -> str:
    """1 to `max_digits` ASCII digits, at least one of them not 0 (leading zeros allowed)."""
    options = []
    for zeros in range(max_digits):
        rest = max_digits - 1 - zeros
        options.append("0" * zeros + "[1-9]" + (f"[0-9]{{0,{rest}}}" if rest else ""))
    return _alternatives(options)


def two_digits_upto(limit: int, *, low: int = 0) -> str:
    """Two digits from `low` (0 or 1) to `limit` (at most 99), e.g. 00-23 or 01-12."""
    if not (0 <= low <= 1 and low < limit <= 99):
        raise ValueError(f"two_digits_upto: unsupported range {low}-{limit}")
    tens, units = divmod(limit, 10)
    options = ["0[1-9]" if low else "0[0-9]"] if tens else []
    if tens > 1:
        options.append("1[0-9]" if tens == 2 else f"[1-{tens - 1}][0-9]")
    options.append(f"{tens}[{1 if low and not tens else 0}-{units}]")
    return _alternatives(options)


def identifier() -> str:
    """An identifier: 1 to MAX_ID_LENGTH characters of ID_CHARACTERS."""
    return f"[{ID_CHARACTERS}]{{1,{MAX_ID_LENGTH}}}"


def amount(fraction_digits: int) -> str:
    """A plain decimal text > 0 with at most MAX_INTEGER_DIGITS integer and `fraction_digits` fraction digits."""
    integer = f"[0-9]{{1,{MAX_INTEGER_DIGITS}}}"
    positive_integer = nonzero_digits(MAX_INTEGER_DIGITS)
    if fraction_digits == 0:
        return positive_integer
    fraction = f"[0-9]{{1,{fraction_digits}}}"
    return _alternatives([f"{positive_integer}(\\.{fraction})?", f"{integer}\\.{nonzero_digits(fraction_digits)}"])


def timestamp() -> str:
    """`YYYY-MM-DDTHH:MM:SS[.f]` + `Z` or `±hh:mm`, each part in its range (not the calendar: see limits)."""
    year = "(" + "|".join("0" * z + "[1-9]" + "[0-9]" * (3 - z) for z in range(4)) + ")"  # 0001-9999
    date = f"{year}-{two_digits_upto(12, low=1)}-{two_digits_upto(31, low=1)}"
    time = f"{two_digits_upto(23)}:{two_digits_upto(59)}:{two_digits_upto(59)}(\\.[0-9]{{1,{MAX_FRACTION_DIGITS}}})?"
    offset = f"(Z|[+-]{two_digits_upto(MAX_OFFSET_HOURS)}:{two_digits_upto(MAX_OFFSET_MINUTES)})"
    return f"{date}T{time}{offset}"

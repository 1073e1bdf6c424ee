"""Which documented limits of the OpenAPI description a request body breaks, judged without the pipeline's code.

The description cannot state every rule (`contract.limits.LIMITS` lists them for OpenAPI): a body can
match the `Transaction` schema and still be refused 400 for a calendar date that does not exist, a
timestamp outside years 0001-9999 once in UTC, or a JSON-number amount whose text breaks the amount
rules. The fuzz test accepts such a 400 for a schema-valid body only when this module, written from
the contract's words with the standard library, finds that limit broken and the answer's reason names
the field that breaks it.
"""

from __future__ import annotations

import calendar
import json
import re
from datetime import datetime, timedelta
from typing import Any

from contract.limits import LIMITS, OPENAPI

_TIMESTAMP = re.compile(r"(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.\d+)?(Z|([+-])(\d\d):(\d\d))")
_NO_MINOR_UNITS = frozenset({"JPY"})
#: limit key → the field a refusal for it names (the limits OpenAPI cannot state that a body can break).
FIELD_OF_LIMIT = {"calendar": "timestamp", "utc_range": "timestamp", "number_text": "amount"}


def _timestamp_limits(value: object) -> set[str]:
    match = _TIMESTAMP.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        return set()
    year, month, day, hour, minute, second = (int(part) for part in match.groups()[:6])
    if not 1 <= month <= 12 or day > calendar.monthrange(year, month)[1]:
        return {"calendar"}
    offset = timedelta(0)
    if match.group(7) != "Z":
        offset = timedelta(hours=int(match.group(9)), minutes=int(match.group(10)))
        offset = -offset if match.group(8) == "-" else offset
    try:
        _ = datetime(year, month, day, hour, minute, second) - offset  # the wall time in UTC
    except OverflowError:
        return {"utc_range"}
    return set()


def _number_text_limits(amount: object, currency: object) -> set[str]:
    if isinstance(amount, bool) or not isinstance(amount, int | float):
        return set()
    text = json.dumps(amount)  # what the request carried: schemathesis serializes with json
    whole, _, fraction = text.partition(".")
    allowed = 0 if currency in _NO_MINOR_UNITS else 2
    if "e" in text.lower() or len(fraction) > allowed or len(whole.lstrip("-")) > 12:
        return {"number_text"}
    return set()


def broken_limits(body: Any) -> set[str]:
    """The documented limits (keys of `contract.limits.LIMITS`) a `Transaction` body breaks."""
    if not isinstance(body, dict):
        return set()
    return _timestamp_limits(body.get("timestamp")) | _number_text_limits(body.get("amount"), body.get("currency"))


def check_known() -> None:
    """Every key here is a limit the description itself says OpenAPI cannot express."""
    documented = {limit.key for limit in LIMITS if OPENAPI in limit.formats}
    unknown = set(FIELD_OF_LIMIT) - documented
    if unknown:
        raise AssertionError(f"{sorted(unknown)} are not limits of OpenAPI in contract.limits")

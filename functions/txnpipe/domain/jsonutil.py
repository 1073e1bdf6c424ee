"""JSON parsing that keeps numbers exact (as their source text)."""

from __future__ import annotations

import json
from typing import NoReturn


class JsonNumber(str):
    """The exact source text of a JSON number (a ``str`` subclass, so no precision is lost)."""

    __slots__ = ()


def _reject_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not valid JSON")


def loads_json(text: str | bytes) -> object:
    """Parse JSON; numbers become :class:`JsonNumber` (exact text), NaN/Infinity are errors."""
    return json.loads(
        text, parse_float=JsonNumber, parse_int=JsonNumber, parse_constant=_reject_constant
    )


def decoder() -> json.JSONDecoder:
    """A decoder configured like :func:`loads_json` (for incremental ``raw_decode``)."""
    return json.JSONDecoder(
        parse_float=JsonNumber, parse_int=JsonNumber, parse_constant=_reject_constant
    )

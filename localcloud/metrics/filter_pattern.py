"""CloudWatch Logs filter patterns (metric filters), the parts of the language the emulator implements.

AWS (CloudWatch Logs User Guide, "Filter pattern syntax for metric filters, subscription filters,
filter log events, and Live Tail"):

* unstructured log events: a pattern of terms matches an event containing every term (AND, case
  sensitive); a term with characters other than letters, digits and `_` is written in double
  quotes; `?term` terms match an event containing any of them (OR); `-term` excludes events
  containing the term; the empty pattern matches every event.
* JSON log events: `{ <selector> <op> <value> }` with `$.field.sub[0]` selectors, `=`/`!=` on
  strings (`*` wildcard) and numbers, `<`, `<=`, `>`, `>=` on numbers, `IS TRUE|FALSE|NULL`,
  `NOT EXISTS`, `&&`, `||` and parentheses (`localcloud.metrics.filter_json`). A JSON pattern never
  matches an event that is not a JSON object.

Mixing AND terms and `?` terms is read as: every AND term, and at least one `?` term. Space-delimited
patterns (`[ip, user, ...]`) and regular expressions (`%...%`) are not implemented: `compile` raises
`UnsupportedPattern` naming the pattern, so PutMetricFilter refuses it instead of matching nothing.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from localcloud.metrics.filter_json import JsonCondition, parse_condition


class UnsupportedPattern(ValueError):
    """A filter pattern the emulator cannot evaluate (or that is not valid filter pattern syntax)."""


_TERM = re.compile(r'\s*([?-]?)(?:"((?:[^"\\]|\\.)*)"|([^\s"]+))')


@dataclass(frozen=True)
class TermPattern:
    """Terms of an unstructured pattern: all of `required`, one of `any_of` (if any), none of `excluded`."""

    required: tuple[str, ...] = ()
    any_of: tuple[str, ...] = ()
    excluded: tuple[str, ...] = ()

    def matches(self, message: str) -> bool:
        return (all(t in message for t in self.required)
                and (not self.any_of or any(t in message for t in self.any_of))
                and not any(t in message for t in self.excluded))


@dataclass(frozen=True)
class JsonPattern:
    """A `{ ... }` pattern: matches a JSON object event whose fields meet the condition."""

    condition: JsonCondition

    def matches(self, message: str) -> bool:
        document = parse_json_event(message)
        return document is not None and self.condition(document)


Matcher = TermPattern | JsonPattern


def parse_json_event(message: str) -> dict[str, Any] | None:
    """The event as a JSON object, or None when it is not one."""
    try:
        document = json.loads(message)
    except ValueError:
        return None
    return document if isinstance(document, dict) else None


def _terms(pattern: str) -> TermPattern:
    groups: dict[str, list[str]] = {"": [], "?": [], "-": []}
    position = 0
    while position < len(pattern.rstrip()):
        match = _TERM.match(pattern, position)
        if match is None or match.end() == position:
            raise UnsupportedPattern(f"filter pattern {pattern!r}: cannot read the term at {pattern[position:]!r}")
        prefix, quoted, bare = match.groups()
        if bare is not None and bare.startswith(("?", "-")):
            raise UnsupportedPattern(f"filter pattern {pattern!r}: {prefix}{bare!r} combines ? and - (not supported)")
        term = re.sub(r"\\(.)", r"\1", quoted) if quoted is not None else bare
        groups[prefix].append(term)
        position = match.end()
    return TermPattern(tuple(groups[""]), tuple(groups["?"]), tuple(groups["-"]))


def compile_pattern(pattern: str) -> Matcher:
    """The matcher of `pattern`; `UnsupportedPattern` naming the pattern when the emulator cannot evaluate it."""
    text = pattern.strip()
    if text in ("", '""'):
        return TermPattern()
    if text.startswith("{"):
        if not text.endswith("}"):
            raise UnsupportedPattern(f"filter pattern {pattern!r}: a JSON pattern must end with '}}'")
        return JsonPattern(parse_condition(text[1:-1], pattern))
    if text.startswith("["):
        raise UnsupportedPattern(f"filter pattern {pattern!r}: space-delimited patterns are not supported by the emulator")
    if text.startswith("%"):
        raise UnsupportedPattern(f"filter pattern {pattern!r}: regular expressions are not supported by the emulator")
    return _terms(text)


def matcher(pattern: str) -> Callable[[str], bool]:
    """`compile_pattern(pattern).matches`."""
    return compile_pattern(pattern).matches

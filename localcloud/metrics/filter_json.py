"""JSON filter patterns: `{ $.a = "x" && ($.n > 5 || $.flag IS TRUE) }`, parsed into a condition on the event.

AWS (CloudWatch Logs User Guide, "Filter pattern syntax ...", "Using filter patterns to match terms
in JSON log events"): selectors `$.field`, `$.a.b`, `$.list[0]`; `=`/`!=` compare strings (a `*`
wildcard matches any run of characters) or numbers; `<`, `<=`, `>`, `>=` compare numbers; `IS TRUE`,
`IS FALSE`, `IS NULL`, `NOT EXISTS`; `&&`, `||`, parentheses. A comparison on a field the event does
not have, or of another type, does not match. Anything else is refused (`UnsupportedPattern`).
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable
from typing import Any

JsonCondition = Callable[[dict[str, Any]], bool]
_MISSING = object()
_TOKEN = re.compile(r'''\s*(?:(?P<op>&&|\|\||!=|>=|<=|=|>|<|\(|\))|(?P<sel>\$(?:\.[A-Za-z0-9_@-]+|\[\d+\])*)
                        |"(?P<str>(?:[^"\\]|\\.)*)"|(?P<num>-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)(?![^\s()&|=!<>])
                        |(?P<word>[^\s()&|=!<>"]+))''', re.VERBOSE)
_NUMERIC = {"<": float.__lt__, "<=": float.__le__, ">": float.__gt__, ">=": float.__ge__}


def select(document: Any, selector: str) -> Any:
    """The value at `selector` (`$.a.b[0]`) in `document`, or `_MISSING`."""
    value = document
    for name, index in re.findall(r"\.([A-Za-z0-9_@-]+)|\[(\d+)\]", selector[1:]):
        if name and isinstance(value, dict) and name in value:
            value = value[name]
        elif index and isinstance(value, list) and int(index) < len(value):
            value = value[int(index)]
        else:
            return _MISSING
    return value


def _tokens(text: str, pattern: str) -> list[tuple[str, str]]:
    tokens, position = [], 0
    while text[position:].strip():
        match = _TOKEN.match(text, position)
        if match is None:
            raise _unsupported(pattern, f"cannot read {text[position:].strip()!r}")
        kind = match.lastgroup or ""
        tokens.append((kind, match.group(kind)))
        position = match.end()
    return tokens


def _unsupported(pattern: str, why: str) -> ValueError:
    from localcloud.metrics.filter_pattern import UnsupportedPattern

    return UnsupportedPattern(f"filter pattern {pattern!r}: {why}")


def _equals(value: Any, kind: str, literal: str) -> bool:
    if kind == "num":
        return isinstance(value, (int, float)) and not isinstance(value, bool) and float(value) == float(literal)
    if literal == "*" and kind == "word":
        return value is not _MISSING
    return isinstance(value, str) and fnmatch.fnmatchcase(value, literal.replace("[", "[[]"))


def _comparison(selector: str, op: str, kind: str, literal: str, pattern: str) -> JsonCondition:
    if op in _NUMERIC:
        if kind != "num":
            raise _unsupported(pattern, f"{op} needs a number, got {literal!r}")
        compare, bound = _NUMERIC[op], float(literal)
        return lambda d: _is_number(v := select(d, selector)) and compare(float(v), bound)
    if op == "=":
        return lambda d: _equals(select(d, selector), kind, literal)
    return lambda d: (v := select(d, selector)) is not _MISSING and not _equals(v, kind, literal)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


_IS: dict[str, Callable[[Any], bool]] = {"TRUE": lambda v: v is True, "FALSE": lambda v: v is False,
                                         "NULL": lambda v: v is None}


class _Parser:
    def __init__(self, text: str, pattern: str) -> None:
        self.tokens, self.pattern, self.at = _tokens(text, pattern), pattern, 0

    def peek(self) -> tuple[str, str]:
        return self.tokens[self.at] if self.at < len(self.tokens) else ("end", "")

    def take(self) -> tuple[str, str]:
        token = self.peek()
        self.at += 1
        return token

    def expression(self) -> JsonCondition:
        terms = [self.conjunction()]
        while self.peek() == ("op", "||"):
            self.take()
            terms.append(self.conjunction())
        return terms[0] if len(terms) == 1 else (lambda d: any(t(d) for t in terms))

    def conjunction(self) -> JsonCondition:
        terms = [self.atom()]
        while self.peek() == ("op", "&&"):
            self.take()
            terms.append(self.atom())
        return terms[0] if len(terms) == 1 else (lambda d: all(t(d) for t in terms))

    def atom(self) -> JsonCondition:
        kind, text = self.take()
        if (kind, text) == ("op", "("):
            inner = self.expression()
            if self.take() != ("op", ")"):
                raise _unsupported(self.pattern, "a '(' is not closed")
            return inner
        if kind != "sel":
            raise _unsupported(self.pattern, f"expected a $. selector, got {text!r}")
        return self.test(text)

    def test(self, selector: str) -> JsonCondition:
        kind, text = self.take()
        if kind == "op" and text in ("=", "!=", *_NUMERIC):
            value_kind, literal = self.take()
            if value_kind not in ("str", "num", "word"):
                raise _unsupported(self.pattern, f"expected a value after {selector} {text}")
            return _comparison(selector, text, value_kind, literal, self.pattern)
        following = self.take()[1].upper()
        if text.upper() == "IS" and following in _IS:
            check = _IS[following]
            return lambda d: check(select(d, selector))
        if text.upper() == "NOT" and following == "EXISTS":
            return lambda d: select(d, selector) is _MISSING
        raise _unsupported(self.pattern, f"unsupported test after {selector}: {text!r}")


def parse_condition(text: str, pattern: str) -> JsonCondition:
    """The condition of a JSON pattern's body (`text`, without the braces); errors name `pattern`."""
    parser = _Parser(text, pattern)
    condition = parser.expression()
    if parser.peek()[0] != "end":
        raise _unsupported(pattern, f"unexpected {parser.peek()[1]!r}")
    return condition

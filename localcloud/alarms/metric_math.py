"""CloudWatch metric math for alarms and GetMetricData (pure): the subset the stacks use, per period.

Followed: CloudWatch User Guide, "Metric math syntax and functions":

* arithmetic `+ - * / ^` and unary minus between time series and scalars: a series with a scalar
  applies to every datapoint; two series combine datapoint by datapoint, and a datapoint missing
  from either is missing from the result (as is a division by zero);
* comparison `== != <= >= < >` and logical `AND`/`&&`, `OR`/`||`, `NOT`/`!`: 1 for true, 0 for false;
* `IF(condition, trueValue, falseValue)`: per datapoint, trueValue where the condition is not 0,
  else falseValue; `IF(condition, trueValue)`: no datapoint where the condition is 0;
* `FILL(series, value)` fills missing datapoints with a scalar (or another series' datapoint);
  `FILL(series, REPEAT)` with the most recent earlier value; `ABS`, `CEIL`, `FLOOR`.

Any other function raises `UnsupportedFunction` naming it (the alarm then goes to
INSUFFICIENT_DATA saying so, never a silent OK).
"""

from __future__ import annotations

import math
import operator
import re
from collections.abc import Callable, Mapping

Value = float | list[float | None]
_LEXEME = re.compile(r"\s*(?:(\d+(?:\.\d*)?(?:[eE][-+]?\d+)?)|([A-Za-z_][A-Za-z0-9_]*)|(==|!=|<=|>=|&&|\|\||[-+*/^<>!(),]))")
_BINARY: dict[str, tuple[int, Callable[[float, float], float | None]]] = {
    "OR": (1, lambda a, b: float(bool(a) or bool(b))), "AND": (2, lambda a, b: float(bool(a) and bool(b))),
    "==": (4, lambda a, b: float(a == b)), "!=": (4, lambda a, b: float(a != b)),
    "<": (4, lambda a, b: float(a < b)), ">": (4, lambda a, b: float(a > b)),
    "<=": (4, lambda a, b: float(a <= b)), ">=": (4, lambda a, b: float(a >= b)),
    "+": (5, operator.add), "-": (5, operator.sub), "*": (6, operator.mul),
    "/": (6, lambda a, b: a / b if b != 0 else None), "^": (7, lambda a, b: float(a ** b)),
}
_ALIASES = {"&&": "AND", "||": "OR", "!": "NOT"}
_KEYWORDS = {"AND", "OR", "NOT", "REPEAT", "LINEAR"}
_UNARY_FUNCTIONS: dict[str, Callable[[float], float]] = {"ABS": abs, "CEIL": math.ceil, "FLOOR": math.floor}


class UnsupportedFunction(ValueError):
    """A metric math function the emulator does not evaluate."""

    def __init__(self, name: str) -> None:
        super().__init__(f"metric math function {name} is not supported by the emulator")
        self.name = name


class ExpressionError(ValueError):
    """An expression that does not parse, or names an unknown query id."""


class UnknownId(ExpressionError):
    """The expression names a query id that has no datapoints (yet)."""


class Failed(ValueError):
    """The expression of query `query_id` cannot be evaluated; `cause` says why (same text)."""

    def __init__(self, query_id: str, cause: UnsupportedFunction | ExpressionError) -> None:
        super().__init__(str(cause))
        self.query_id, self.cause = query_id, cause


def _lexemes(text: str) -> list[str]:
    out, position = [], 0
    while position < len(text.rstrip()):
        match = _LEXEME.match(text, position)
        if match is None:
            raise ExpressionError(f"cannot parse metric math {text!r} at {text[position:]!r}")
        lexeme = next(group for group in match.groups() if group is not None)
        upper = lexeme.upper()
        out.append(upper if upper in _KEYWORDS else _ALIASES.get(lexeme, lexeme))
        position = match.end()
    return out


def _combine(fn: Callable[[float, float], float | None], a: Value, b: Value) -> Value:
    if isinstance(a, float) and isinstance(b, float):
        result = fn(a, b)
        return result if result is not None else math.nan
    size = len(a) if isinstance(a, list) else len(b)  # type: ignore[arg-type]
    left = a if isinstance(a, list) else [a] * size
    right = b if isinstance(b, list) else [b] * size
    return [None if x is None or y is None or math.isnan(x) or math.isnan(y) else fn(x, y)
            for x, y in zip(left, right, strict=True)]


def _points(value: Value, size: int) -> list[float | None]:
    return value if isinstance(value, list) else [value] * size


class _Parser:
    def __init__(self, text: str, series: Mapping[str, Value], size: int) -> None:
        self.lexemes, self.series, self.size, self.i = _lexemes(text), series, size, 0
        self.text = text

    def peek(self) -> str | None:
        return self.lexemes[self.i] if self.i < len(self.lexemes) else None

    def take(self, expected: str | None = None) -> str:
        lexeme = self.peek()
        if lexeme is None or (expected is not None and lexeme != expected):
            raise ExpressionError(f"metric math {self.text!r}: expected {expected or 'more'}, found {lexeme!r}")
        self.i += 1
        return lexeme

    def expression(self, precedence: int = 0) -> Value:
        left = self.unary()
        while (lexeme := self.peek()) in _BINARY and _BINARY[lexeme][0] > precedence:
            level, fn = _BINARY[self.take()]
            right = self.expression(level if lexeme != "^" else level - 1)
            left = _combine(fn, left, right)
        return left

    def unary(self) -> Value:
        lexeme = self.peek()
        if lexeme == "-":
            self.take()
            return _combine(operator.mul, -1.0, self.expression(6))
        if lexeme == "NOT":
            self.take()
            return _combine(lambda a, _: float(not a), self.expression(3), 0.0)
        return self.primary()

    def primary(self) -> Value:
        lexeme = self.take()
        if lexeme == "(":
            value = self.expression()
            self.take(")")
            return value
        if re.fullmatch(r"\d.*", lexeme):
            return float(lexeme)
        if self.peek() == "(":
            return self.call(lexeme.upper())
        if lexeme not in self.series:
            raise UnknownId(f"metric math {self.text!r}: no query with id {lexeme!r}")
        return self.series[lexeme]

    def arguments(self) -> list[Value | str]:
        self.take("(")
        args: list[Value | str] = []
        while True:
            lexeme = self.peek()
            args.append(self.take() if lexeme in ("REPEAT", "LINEAR") else self.expression())
            if self.take() == ")":
                return args

    def call(self, name: str) -> Value:
        if name not in ("IF", "FILL", *_UNARY_FUNCTIONS):
            raise UnsupportedFunction(name)
        args = self.arguments()
        if name == "IF" and len(args) in (2, 3):
            return self._if(*[_points(a, self.size) for a in args if not isinstance(a, str)])
        if name == "FILL" and len(args) == 2:
            return self._fill(args[0], args[1])
        if name in _UNARY_FUNCTIONS and len(args) == 1 and not isinstance(args[0], str):
            fn = _UNARY_FUNCTIONS[name]
            return _combine(lambda a, _: float(fn(a)), args[0], 0.0)
        raise ExpressionError(f"metric math {self.text!r}: wrong arguments to {name}")

    def _if(self, condition: list[float | None], true: list[float | None],
            false: list[float | None] | None = None) -> Value:
        otherwise = false if false is not None else [None] * self.size
        return [None if c is None else (t if c else f) for c, t, f in zip(condition, true, otherwise, strict=True)]

    def _fill(self, target: Value | str, fill: Value | str) -> Value:
        if isinstance(target, str):
            raise ExpressionError(f"metric math {self.text!r}: FILL needs a series first")
        points = _points(target, self.size)
        if fill == "LINEAR":
            raise UnsupportedFunction("FILL(..., LINEAR)")
        if fill == "REPEAT":
            out: list[float | None] = []
            for point in points:
                out.append(point if point is not None else (out[-1] if out else None))
            return out
        filler = _points(fill, self.size)  # type: ignore[arg-type]
        return [p if p is not None else f for p, f in zip(points, filler, strict=True)]


def evaluate(expression: str, series: Mapping[str, Value], size: int) -> list[float | None]:
    """The datapoints of `expression` over `size` periods, given each query id's datapoints."""
    parser = _Parser(expression, series, size)
    value = parser.expression()
    if parser.peek() is not None:
        raise ExpressionError(f"metric math {expression!r}: unexpected {parser.peek()!r}")
    return [None if p is None or math.isnan(p) else p for p in _points(value, size)]


def evaluate_all(expressions: Mapping[str, str], series: Mapping[str, Value], size: int) -> dict[str, Value]:
    """`series` plus the datapoints of each expression (query id -> text), which may use each other in any order.

    Raises `Failed` naming the first expression that cannot be evaluated (an unsupported function, a
    syntax error, an id no query defines, or expressions that only refer to each other).
    """
    known, pending = dict(series), dict(expressions)
    while pending:
        before, unknown = len(pending), list[Failed]()
        for query_id, text in list(pending.items()):
            try:
                known[query_id] = evaluate(text, known, size)
                del pending[query_id]
            except UnknownId as error:  # maybe an expression evaluated later in this pass
                unknown.append(Failed(query_id, error))
            except (UnsupportedFunction, ExpressionError) as error:
                raise Failed(query_id, error) from error
        if len(pending) == before:  # no progress: the first one names an id nothing defines
            raise unknown[0]
    return known

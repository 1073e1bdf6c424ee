"""What the artifact formats cannot express, where the code enforces it, and where validators differ.

`tests/contract` checks this list against real validators: a corpus row breaking only a rule listed
here for a format must be accepted by that format's validator (and rejected by us); every other
row must get the same verdict from both.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

JSON_SCHEMA: Final = "JSON Schema"
TABLE_SCHEMA: Final = "Table Schema"
OPENAPI: Final = "OpenAPI"
ODCS: Final = "ODCS"
EVERY_FORMAT: Final = frozenset({JSON_SCHEMA, TABLE_SCHEMA, OPENAPI, ODCS})


@dataclass(frozen=True, kw_only=True)
class Limit:
    """A contract rule some formats cannot state."""

    key: str
    rule: str
    formats: frozenset[str]  #: the formats that cannot express it
    enforced: str  #: where the pipeline applies it
    why: str


@dataclass(frozen=True, kw_only=True)
class Difference:
    """A validator implementation that judges differently from its format's specification or from us."""

    key: str
    validator: str
    behaviour: str
    handling: str


_RULES: Final = "`validate_record` (functions/txnpipe/domain/rules.py)"
LIMITS: Final = (
    Limit(key="calendar", rule="timestamp is a real calendar date (no 2024-02-30, no 2023-02-29)",
          formats=EVERY_FORMAT, enforced="`parse_timestamp` (functions/txnpipe/domain/timestamps.py)",
          why="a pattern checks each part's range (month 01-12, day 01-31, hour 00-23, ...); days per month "
              "and leap years are not a reasonable regular expression"),
    Limit(key="utc_range", rule="timestamp converted to UTC stays within years 0001-9999 "
                                "(0001-01-01T00:30:00+01:00 is rejected)",
          formats=EVERY_FORMAT, enforced="`parse_timestamp`", why="needs date arithmetic with the offset"),
    Limit(key="fraction_per_currency", rule="amount has at most the currency's minor-unit fraction digits "
                                            "(JPY 0, the others 2)",
          formats=frozenset({TABLE_SCHEMA}), enforced=_RULES,
          why="a rule across two fields, and Table Schema constraints are per field: its pattern allows the most "
              "digits any currency has (JSON Schema and OpenAPI use if/then on currency; ODCS a SQL quality check)"),
    Limit(key="number_text", rule="a JSON-number amount is judged by its text: no exponent (1e2), fraction "
                                  "digits as written (10.500 USD, 100.0 JPY are rejected)",
          formats=frozenset({JSON_SCHEMA, OPENAPI}),
          enforced="`loads_json` keeps each number's source text, then " + _RULES,
          why="a validator sees the parsed number (1e2 is 100, 10.500 is 10.5); exclusiveMinimum/Maximum and, "
              "for JPY, multipleOf 1 are checked; multipleOf 0.01 is not exact on binary floats"),
    Limit(key="unique_in_file", rule="transaction_id is unique within one file (later rows rejected)",
          formats=frozenset({JSON_SCHEMA, OPENAPI}),
          enforced="the duplicate index of `process_file` (functions/txnpipe/domain/rowwise.py); the API "
                   "answers 409 for an id stored with other content",
          why="the schema describes one transaction, not the file that holds many (Table Schema: `unique`)"),
    Limit(key="first_value_wins", rule="a partner's transaction_id names one transaction for good: the first "
                                       "value stored wins; the same content again is a replay (counted, not "
                                       "rewritten), other content a conflict (quarantined, the file "
                                       "COMPLETED_WITH_ERRORS; through the API a 409)",
          formats=EVERY_FORMAT,
          enforced="load_transactions (functions/txnpipe/loading.py: conditional TransactWriteItems, "
                   "functions/txnpipe/replays.py) and api_ingest's conditional PutItem",
          why="it compares a row with what was stored before, which no schema of one transaction or one file sees"),
    Limit(key="file_level", rule="file rules: UTF-8 (BOM dropped), LF or CRLF, blank lines skipped, empty "
                                 "file rejected, JSON array or JSON Lines, missing required column rejects "
                                 "the file, duplicate header column rejects the file",
          formats=EVERY_FORMAT, enforced="`process_file` (functions/txnpipe/domain/files.py and its readers)",
          why="the formats describe rows or columns; the Table Schema carries the CSV dialect and encoding "
              "as `x-csv-dialect`/`x-encoding`, which frictionless takes as its dialect"),
    Limit(key="first_reason", rule="one reason per row, the first failing field in contract order",
          formats=EVERY_FORMAT, enforced=_RULES, why="validators report errors their own way"),
)

DIFFERENCES: Final = (
    Difference(key="fl_trailing_newline", validator="frictionless 5.21 (Python)",
               behaviour="compiles a pattern as `^pattern$` and uses Python's `$`, which also matches before a "
                         "final line break: a quoted CSV value ending in one line break passes its pattern",
               handling="not removable in the Table Schema (its patterns are XML Schema regular expressions, "
                        "which always match the whole value and have no lookahead); we reject such values"),
    Difference(key="js_trailing_newline", validator="jsonschema 4.26 (Python)",
               behaviour="runs ECMA-262 `pattern`s with Python's `re.search`, where `$` matches before a final "
                         "line break",
               handling="removed: every ECMA-262 pattern ends `$(?!\\n)`, the same in ECMA-262 and Python"),
    Difference(key="fl_blank_rows", validator="frictionless 5.21 (Python)",
               behaviour="reports a blank line as a `blank-row` error and counts it in its row numbers",
               handling="the contract skips blank lines: the agreement test ignores `blank-row` errors and "
                        "pairs rows in order"),
    Difference(key="fl_unique_short_rows", validator="frictionless 5.21 (Python)",
               behaviour="a row with a wrong field count still takes part in the `unique` check",
               handling="we reject that row before reading its id (`row: wrong field count`), so a later row "
                        "with the same id is accepted by us and flagged by frictionless"),
)

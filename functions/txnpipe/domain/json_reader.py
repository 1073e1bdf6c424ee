"""JSON reader: a JSON array of objects or JSON Lines, parsed incrementally."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator

from txnpipe.domain.jsonutil import decoder, loads_json
from txnpipe.domain.results import FileRejected
from txnpipe.domain.rowwise import CountingReader, FileRun

_WHITESPACE = " \t\r\n"
_READ_CHARS = 1 << 20
_MAX_ELEMENT_CHARS = 8 << 20


class _Text:
    """Incrementally decoded UTF-8 text with a sliding buffer."""

    def __init__(self, reader: CountingReader) -> None:
        self._text = io.TextIOWrapper(io.BufferedReader(reader, 1 << 16), encoding="utf-8-sig")
        self.buf = ""
        self.pos = 0
        self.eof = False

    def fill(self) -> bool:
        """Append more text; False at end of input."""
        if self.eof:
            return False
        try:
            chunk = self._text.read(_READ_CHARS)
        except UnicodeDecodeError as error:
            raise FileRejected("not UTF-8 encoded") from error
        self.eof = chunk == ""
        self.buf = self.buf[self.pos :] + chunk
        self.pos = 0
        return not self.eof

    def skip_whitespace(self) -> str:
        """Advance past JSON whitespace; return the next character ('' at end)."""
        while True:
            while self.pos < len(self.buf) and self.buf[self.pos] in _WHITESPACE:
                self.pos += 1
            if self.pos < len(self.buf) or not self.fill():
                return self.buf[self.pos : self.pos + 1]

    def lines(self) -> Iterator[str]:
        """Yield lines (without line ends) from the current position."""
        while True:
            end = self.buf.find("\n", self.pos)
            if end >= 0:
                yield self.buf[self.pos : end]
                self.pos = end + 1
            elif not self.fill():
                if self.pos < len(self.buf):
                    yield self.buf[self.pos :]
                return


def read_json(reader: CountingReader, run: FileRun) -> None:
    """Validate every element of a JSON array or JSON Lines stream into ``run``."""
    text = _Text(reader)
    first = text.skip_whitespace()
    if first == "":
        raise FileRejected("empty file")
    if first == "[":
        text.pos += 1
        _read_array(text, run)
    elif first == "{":
        _read_lines(text, run)
    else:
        raise FileRejected("not JSON: expected an array of objects or JSON Lines")
    run.flush_pending()


def _one_line(text: str) -> str:
    return text.replace("\r", " ").replace("\n", " ")


def _handle(run: FileRun, row: int, value: object, raw_text: str) -> None:
    if not isinstance(value, dict):
        run.quarantine.add_raw_json(row, "row: not a JSON object", _one_line(raw_text))
        return
    outcome = run.judge(value)
    if isinstance(outcome, str):
        run.quarantine.add_raw_json(row, outcome, _one_line(raw_text))
    else:
        run.accept(row, outcome)


def _decode_element(text: _Text) -> tuple[object, str]:
    parser = decoder()
    while True:
        try:
            value, end = parser.raw_decode(text.buf, text.pos)
        except json.JSONDecodeError as error:
            incomplete = error.pos >= len(text.buf) - 1 or error.msg.startswith("Unterminated")
            if incomplete and len(text.buf) - text.pos < _MAX_ELEMENT_CHARS and text.fill():
                continue
            raise FileRejected(f"not parseable as JSON: {error.msg}") from error
        except ValueError as error:  # NaN / Infinity
            raise FileRejected(f"not parseable as JSON: {error}") from error
        if end == len(text.buf) and text.fill():
            continue  # a number may continue in the next piece
        raw = text.buf[text.pos : end]
        text.pos = end
        return value, raw


def _read_array(text: _Text, run: FileRun) -> None:
    row = 0
    if text.skip_whitespace() == "]":
        text.pos += 1
    else:
        while True:
            value, raw = _decode_element(text)
            row += 1
            _handle(run, row, value, raw)
            separator = text.skip_whitespace()
            text.pos += 1
            if separator == "]":
                break
            if separator != ",":
                raise FileRejected(f"not parseable as JSON: expected ',' or ']' after element {row}")
            text.skip_whitespace()
    if text.skip_whitespace() != "":
        raise FileRejected("not parseable as JSON: data after the end of the array")


def _read_lines(text: _Text, run: FileRun) -> None:
    row = 0
    for line in text.lines():
        stripped = line.strip(_WHITESPACE)
        if not stripped:
            continue
        row += 1
        try:
            value = loads_json(stripped)
        except ValueError as error:
            if row == 1:
                raise FileRejected(f"not parseable as JSON Lines: line 1: {error}") from error
            run.reject(row, f"row: invalid JSON ({error})", stripped)
            continue
        _handle(run, row, value, stripped)

"""Utf8Checked ends the stream at invalid UTF-8 and keeps the rejection: nothing is raised into Arrow's I/O thread."""

from __future__ import annotations

import io

import pytest

from txnpipe.domain.csv_arrow_utf8 import Utf8Checked
from txnpipe.domain.results import FileRejected


class _Counting(io.BytesIO):
    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.reads = 0

    def read(self, size: int | None = -1) -> bytes:
        self.reads += 1
        return super().read(size)


def test_bytes_before_the_invalid_read_pass_unchanged() -> None:
    stream = Utf8Checked(_Counting(b"abcd\xe9fgh"))
    assert stream.read(4) == b"abcd"


def test_the_read_with_invalid_utf8_ends_the_stream_and_keeps_the_offset() -> None:
    # Given a stream whose second read holds an invalid byte at offset 4
    stream = Utf8Checked(_Counting(b"abcd\xe9fgh"))
    stream.read(4)
    # When it is read, Then it looks like the end of the stream, and the rejection names the offset
    assert stream.read(4) == b""
    with pytest.raises(FileRejected, match=r"^not UTF-8 encoded \(byte offset 4\)$"):
        stream.raise_rejection()


def test_after_a_rejection_the_source_is_not_read_again() -> None:
    source = _Counting(b"\xe9" + b"x" * 100)
    stream = Utf8Checked(source)
    stream.read(8)
    stream.read(8)
    buffer = bytearray(8)
    assert (stream.readinto(buffer), source.reads) == (0, 1)


def test_a_valid_stream_has_nothing_to_raise() -> None:
    stream = Utf8Checked(_Counting("café".encode()))
    while stream.read(2):
        pass
    stream.raise_rejection()
    assert stream.rejection is None

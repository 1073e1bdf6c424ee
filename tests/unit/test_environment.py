"""A handler's environment record: parsed once, typed, and written back by the stacks as the same variables."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from txnpipe.environment import EnvironmentVariableError, HandlerEnvironment


@dataclass(frozen=True, kw_only=True)
class Example(HandlerEnvironment):
    files_table: str
    chunk_bytes: int
    writers: int = 8


def test_variables_are_the_field_names_in_upper_case() -> None:
    # Given a record, When its variables are listed, Then optional ones are included
    assert Example.variable_names() == ("FILES_TABLE", "CHUNK_BYTES", "WRITERS")


def test_values_are_parsed_to_the_field_types() -> None:
    # Given every variable set, When the record is parsed
    env = Example.from_environ({"FILES_TABLE": "files", "CHUNK_BYTES": "65536", "WRITERS": "3", "OTHER": "x"})
    # Then each field has its type and other variables are ignored
    assert env == Example(files_table="files", chunk_bytes=65536, writers=3)


def test_an_optional_variable_falls_back_to_its_default() -> None:
    # Given WRITERS unset, When the record is parsed, Then writers is the default
    assert Example.from_environ({"FILES_TABLE": "files", "CHUNK_BYTES": "1"}).writers == 8


def test_a_missing_variable_is_named() -> None:
    # Given FILES_TABLE unset, When the record is parsed, Then the error names the record and the variable
    with pytest.raises(EnvironmentVariableError, match=r"^Example: environment variable FILES_TABLE is not set$"):
        Example.from_environ({"CHUNK_BYTES": "1"})


def test_every_missing_variable_is_named_at_once() -> None:
    # Given nothing set, When the record is parsed, Then both required variables are named
    with pytest.raises(EnvironmentVariableError, match=r"variables FILES_TABLE, CHUNK_BYTES are not set"):
        Example.from_environ({})


def test_an_empty_variable_counts_as_missing() -> None:
    # Given FILES_TABLE set to "", When the record is parsed, Then it is reported as not set
    with pytest.raises(EnvironmentVariableError, match="FILES_TABLE is not set"):
        Example.from_environ({"FILES_TABLE": "", "CHUNK_BYTES": "1"})


def test_a_malformed_integer_is_named_with_its_value() -> None:
    # Given CHUNK_BYTES that is not a number, When the record is parsed, Then the variable and value are named
    with pytest.raises(EnvironmentVariableError, match=r"CHUNK_BYTES='64k' is not an integer"):
        Example.from_environ({"FILES_TABLE": "files", "CHUNK_BYTES": "64k"})


def test_the_variables_written_read_back_as_the_same_record() -> None:
    # Given a record as a stack fills it, When it is written and read back, Then it is the same record
    record = Example(files_table="files", chunk_bytes=1024, writers=2)
    assert Example.from_environ(record.to_environ()) == record


def test_an_optional_field_at_its_default_is_not_written() -> None:
    # Given writers left at its default, When the variables are written, Then WRITERS is left out
    assert Example(files_table="files", chunk_bytes=1024).to_environ() == {"FILES_TABLE": "files", "CHUNK_BYTES": "1024"}

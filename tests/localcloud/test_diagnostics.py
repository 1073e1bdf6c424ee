"""Faults of the emulator itself are recorded (and fail the session); AWS errors and function errors are not."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from moto.sqs.exceptions import QueueDoesNotExist

from localcloud import diagnostics
from localcloud.testing import fail_on_emulator_faults


def _boom() -> None:
    raise KeyError("emulator bug")


def test_record_keeps_the_fault_with_its_context() -> None:
    try:
        _boom()
    except KeyError as exc:
        diagnostics.record("test.kind", "thing 1", exc)
    (fault,) = diagnostics.take("test.kind")
    assert (fault.kind, fault.detail, fault.error) == ("test.kind", "thing 1", "KeyError: 'emulator bug'")


def test_record_logs_at_error_with_the_traceback(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR, logger="localcloud.diagnostics"):
        diagnostics.record("test.kind", "thing 2", KeyError("x"))
    diagnostics.take("test.kind")
    assert caplog.records[-1].exc_info is not None and "test.kind (thing 2)" in caplog.records[-1].getMessage()


def test_take_of_one_kind_leaves_the_others() -> None:
    diagnostics.record("test.mine", "a", ValueError("a"))
    diagnostics.record("test.other", "b", ValueError("b"))
    diagnostics.take("test.mine")
    assert [f.kind for f in diagnostics.take("test.other")] == ["test.other"]


def test_take_by_error_text_leaves_other_faults_of_the_kind() -> None:
    diagnostics.record("test.same", "a", ValueError("mine"))
    diagnostics.record("test.same", "b", ValueError("a race elsewhere"))
    assert [f.detail for f in diagnostics.take("test.same", error="mine")] == ["a"]
    assert [f.detail for f in diagnostics.take("test.same")] == ["b"]


def test_a_fault_is_also_appended_to_the_fault_log(tmp_path: Path) -> None:
    # Given the emulator's fault log (the emulator points it at build/localcloud/<session>/logs/faults.log)
    previous = list(diagnostics._FAULT_LOG)
    diagnostics.log_to(tmp_path / "logs" / "faults.log")
    try:
        _boom()
    except KeyError as exc:
        diagnostics.record("test.logged", "thing 3", exc)
    finally:
        diagnostics._FAULT_LOG[:] = previous
    diagnostics.take("test.logged")
    # Then the log keeps it with its traceback even though the fault was taken
    text = (tmp_path / "logs" / "faults.log").read_text()
    assert "test.logged (thing 3): KeyError: 'emulator bug'" in text
    assert "in _boom" in text


def test_check_passes_without_faults() -> None:
    diagnostics.check(())


def test_check_names_every_fault() -> None:
    faults = (diagnostics.Fault(kind="event_sources.poll", detail="mapping m1", error="KeyError: 'x'", traceback="tb"),)
    with pytest.raises(diagnostics.EmulatorFaults, match=r"(?s)1 unexpected error.*event_sources.poll \(mapping m1\): KeyError"):
        diagnostics.check(faults)


def test_guarded_logs_an_aws_error_without_recording_it() -> None:
    before = diagnostics.recorded()
    with diagnostics.guarded("test.guarded", "queue gone"):
        raise QueueDoesNotExist()
    assert diagnostics.recorded() == before


def test_guarded_records_any_other_exception() -> None:
    with diagnostics.guarded("test.guarded", "bug"):
        _boom()
    assert [f.error for f in diagnostics.take("test.guarded")] == ["KeyError: 'emulator bug'"]


def test_aws_errors_are_moto_service_errors() -> None:
    assert diagnostics.is_aws_error(QueueDoesNotExist()) and not diagnostics.is_aws_error(TypeError("x"))


def test_session_check_fails_naming_a_recorded_fault() -> None:
    # Given a fault recorded during the session, When the session's teardown checks, Then it fails naming it
    diagnostics.record("test.session", "provoked", RuntimeError("swallowed before"))
    try:
        with pytest.raises(pytest.fail.Exception, match=r"test.session \(provoked\): RuntimeError: swallowed before"):
            fail_on_emulator_faults()
    finally:
        diagnostics.take("test.session")

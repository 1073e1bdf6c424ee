"""What the demo reports of alarms and pages: first evaluations counted, the rest listed."""

from __future__ import annotations

from datetime import UTC, datetime

from localcloud.observed import AlarmChange, notable, page_kinds

AT = datetime(2026, 12, 2, 7, 0, tzinfo=UTC)


def test_first_evaluations_to_ok_are_counted_not_listed() -> None:
    # Given two alarms' first evaluation and one alarm firing
    changes = [AlarmChange(AT, "a", "INSUFFICIENT_DATA", "OK"), AlarmChange(AT, "b", "INSUFFICIENT_DATA", "OK"),
               AlarmChange(AT, "c", "OK", "ALARM")]
    # Then only the firing is listed, and the first evaluations are counted
    assert notable(changes) == ([changes[2]], 2)


def test_an_alarm_that_starts_in_alarm_is_listed() -> None:
    change = AlarmChange(AT, "sla", "INSUFFICIENT_DATA", "ALARM")
    assert notable([change]) == ([change], 0)


def test_pages_are_counted_by_new_state_and_pipeline_alerts_apart() -> None:
    messages = [{"AlarmName": "a", "NewStateValue": "ALARM"}, {"AlarmName": "a", "NewStateValue": "OK"},
                {"AlarmName": "b", "NewStateValue": "ALARM"}, {"file_id": "f1", "status": "FAILED"}]
    assert page_kinds(messages) == {"ALARM": 2, "OK": 1, "pipeline alert": 1}

"""Walking an ASL document: transitions per execution and the tasks it runs, for a given scenario."""

from __future__ import annotations

from typing import Any

import pytest

from capacity.transitions import lambda_resource_id, walk

TASK = "${aws_lambda_function.work_function_ABC.arn}"


def _definition() -> dict[str, Any]:
    return {"StartAt": "Route", "States": {
        "Route": {"Type": "Choice", "Choices": [{"Variable": "$.big", "BooleanEquals": True, "Next": "Fan"}],
                  "Default": "Both"},
        "Fan": {"Type": "Map", "ItemProcessor": {"StartAt": "Item", "States": {
            "Item": {"Type": "Task", "Resource": TASK, "End": True}}}, "Next": "Done"},
        "Both": {"Type": "Parallel", "Branches": [
            {"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": TASK, "End": True}}},
            {"StartAt": "B", "States": {"B": {"Type": "Pass", "Next": "C"}, "C": {"Type": "Pass", "End": True}}},
        ], "Next": "Done"},
        "Done": {"Type": "Succeed"},
    }}


def test_a_parallel_counts_itself_and_every_branch_state() -> None:
    # Given the small path: Route, Both (+ A, B, C), Done
    # When it is walked
    trace = walk(_definition(), facts={"$.big": False}, map_items={})
    # Then every executed state is one transition
    assert trace.transitions == 6


def test_a_map_runs_its_processor_once_per_item() -> None:
    # Given the big path with 7 items
    trace = walk(_definition(), facts={"$.big": True}, map_items={"Fan": 7})
    # Then the task ran 7 times
    assert trace.tasks[TASK] == 7
    # And transitions are Route + Fan + 7 items + Done
    assert trace.transitions == 10


def test_a_choice_without_its_fact_is_named() -> None:
    with pytest.raises(ValueError, match=r"Route.*\$\.big"):
        walk(_definition(), facts={}, map_items={})


def test_a_map_without_an_item_count_is_named() -> None:
    with pytest.raises(ValueError, match="Fan"):
        walk(_definition(), facts={"$.big": True}, map_items={})


def test_lambda_references_give_the_resource_id() -> None:
    assert lambda_resource_id(TASK) == "work_function_ABC"
    assert lambda_resource_id("arn:aws:states:::events:putEvents") is None

"""The stage timer of `make bench-stages` (bench/bench_stages.py): exclusive time per stage."""

from __future__ import annotations

import pytest

from bench.bench_stages import Stages


class _Clock:
    """A clock that moves only when the test says so."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_stage_excludes_the_stages_it_calls() -> None:
    # Given an outer stage that spends 1 s itself around an inner stage that spends 2 s
    clock = _Clock()
    stages = Stages(clock)

    def inner() -> None:
        clock.now += 2.0

    timed_inner = stages.timed("inner", inner)

    def outer() -> None:
        clock.now += 0.5
        timed_inner()
        clock.now += 0.5

    # When the outer stage runs
    stages.timed("outer", outer)()
    # Then each stage holds only its own time, and together they hold all of it
    assert stages.seconds == {"outer": 1.0, "inner": 2.0}


def test_producing_items_is_timed_and_every_item_arrives() -> None:
    clock = _Clock()
    stages = Stages(clock)

    def produce() -> object:
        for item in ("a", "b"):
            clock.now += 1.5
            yield item

    received = list(stages.timed_iterator("parse", iter(produce())))
    assert (received, stages.seconds["parse"]) == (["a", "b"], 3.0)


def test_time_spent_while_an_error_escapes_is_still_counted() -> None:
    clock = _Clock()
    stages = Stages(clock)

    def failing() -> None:
        clock.now += 1.0
        raise ValueError("bad block")

    with pytest.raises(ValueError, match="bad block"):
        stages.timed("checks", failing)()
    assert stages.seconds["checks"] == 1.0

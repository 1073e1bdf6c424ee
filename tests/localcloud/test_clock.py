"""The emulated clock: wall-clock time sped up by a scale, from the moment it starts."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from localcloud import clock


@pytest.fixture(autouse=True)
def real_time() -> Iterator[None]:
    yield
    clock.start(scale=1)


def test_at_scale_60_a_real_second_is_an_emulated_minute() -> None:
    clock.start(scale=60, origin=1_000.0)
    assert clock.emulated(1_001.0) == 1_060.0


def test_real_is_the_inverse_of_emulated() -> None:
    clock.start(scale=30, origin=5_000.0)
    assert clock.real(clock.emulated(5_123.5)) == pytest.approx(5_123.5)


def test_an_emulated_period_lasts_a_fraction_of_it_in_real_time() -> None:
    clock.start(scale=60)
    assert clock.real_seconds(300) == 5


def test_scale_1_is_wall_clock_time() -> None:
    clock.start(scale=1, origin=0.0)
    assert clock.emulated(1_700_000_000.0) == 1_700_000_000.0


@pytest.mark.parametrize("raw", ["fast", "0.5", "-3"])
def test_a_scale_that_is_not_a_number_at_least_1_is_refused_naming_the_variable(raw: str) -> None:
    with pytest.raises(ValueError, match=clock.SCALE_VARIABLE):
        clock.read_scale({clock.SCALE_VARIABLE: raw})


def test_the_default_scale_is_real_time() -> None:
    assert clock.read_scale({}) == 1

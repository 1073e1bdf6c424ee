"""The CPU a Lambda function gets for its memory: AWS's vCPU share and the cores measured per size."""

from __future__ import annotations

import pytest

from capacity.lambda_cpu import vcpu_share, visible_cores


def test_one_vcpu_at_1769_mb() -> None:
    assert vcpu_share(1_769) == 1.0


def test_validate_files_size_has_1_7_vcpu_on_two_cores() -> None:
    # Given validate_file's memory size
    # Then it gets 1.7 vCPU-seconds per second, spread over two cores
    assert (round(vcpu_share(3_008), 2), visible_cores(3_008)) == (1.7, 2)


@pytest.mark.parametrize(("memory_mb", "cores"), [(128, 2), (3_009, 3), (5_307, 3), (5_308, 4), (8_846, 6), (10_240, 6)])
def test_cores_step_up_at_the_measured_sizes(memory_mb: int, cores: int) -> None:
    assert visible_cores(memory_mb) == cores


@pytest.mark.parametrize("memory_mb", [127, 10_241])
def test_a_size_lambda_refuses_is_named(memory_mb: int) -> None:
    with pytest.raises(ValueError, match=f"not {memory_mb}"):
        vcpu_share(memory_mb)

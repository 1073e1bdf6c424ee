"""The CPU a Lambda function gets for its memory size: a vCPU share, spread over a number of cores."""

from __future__ import annotations

MIN_MB, MAX_MB = 128, 10_240
#: AWS, "Configure Lambda function memory": at 1,769 MB a function has the equivalent of one vCPU
#: (one vCPU-second of credit per second); the share grows in proportion to memory.
MB_PER_VCPU = 1_769
#: Cores a function sees (``os.cpu_count()``) up to each memory size. AWS does not document this;
#: published measurements (rwnx/lambda-cpuinfo) found two cores up to 3,008 MB, then one more per step.
_CORES_UP_TO_MB = ((3_008, 2), (5_307, 3), (7_076, 4), (8_845, 5), (MAX_MB, 6))


def _check(memory_mb: int) -> None:
    if not MIN_MB <= memory_mb <= MAX_MB:
        raise ValueError(f"Lambda memory is {MIN_MB}-{MAX_MB} MB, not {memory_mb}")


def vcpu_share(memory_mb: int) -> float:
    """vCPU-seconds per second of a function with ``memory_mb`` (1.70 at 3,008 MB)."""
    _check(memory_mb)
    return memory_mb / MB_PER_VCPU


def visible_cores(memory_mb: int) -> int:
    """Cores the function's threads can spread over (2 at 3,008 MB), sharing :func:`vcpu_share`."""
    _check(memory_mb)
    return next(cores for bound, cores in _CORES_UP_TO_MB if memory_mb <= bound)

"""Life cycle of a file: the statuses of the contract and which changes are allowed."""

from __future__ import annotations

from enum import StrEnum


class FileStatus(StrEnum):
    """`RECEIVED → VALIDATING → PROCESSING → COMPLETED | COMPLETED_WITH_ERRORS | REJECTED | FAILED`."""

    RECEIVED = "RECEIVED"
    VALIDATING = "VALIDATING"
    PROCESSING = "PROCESSING"
    COMPLETED = "COMPLETED"
    COMPLETED_WITH_ERRORS = "COMPLETED_WITH_ERRORS"
    REJECTED = "REJECTED"
    FAILED = "FAILED"

    @property
    def terminal(self) -> bool:
        """True when the file will not change status again."""
        return self in TERMINAL


TERMINAL = frozenset({FileStatus.COMPLETED, FileStatus.COMPLETED_WITH_ERRORS, FileStatus.REJECTED, FileStatus.FAILED})

# The statuses a file may be in *before* moving to the key. FAILED may follow any
# non-terminal status (the pipeline broke); REJECTED is decided while validating.
PREDECESSORS: dict[FileStatus, frozenset[FileStatus]] = {
    FileStatus.RECEIVED: frozenset(),
    FileStatus.VALIDATING: frozenset({FileStatus.RECEIVED}),
    FileStatus.PROCESSING: frozenset({FileStatus.VALIDATING}),
    FileStatus.COMPLETED: frozenset({FileStatus.PROCESSING}),
    FileStatus.COMPLETED_WITH_ERRORS: frozenset({FileStatus.PROCESSING}),
    FileStatus.REJECTED: frozenset({FileStatus.VALIDATING}),
    FileStatus.FAILED: frozenset({FileStatus.RECEIVED, FileStatus.VALIDATING, FileStatus.PROCESSING}),
}


class TransitionError(ValueError):
    """A status change the life cycle does not allow."""


def parse_status(value: object) -> FileStatus:
    """Read a status name, naming the bad value when it is not one."""
    try:
        return FileStatus(str(value))
    except ValueError:
        names = ", ".join(s.value for s in FileStatus)
        raise TransitionError(f"status: {value!r} is not one of {names}") from None


def check_transition(current: FileStatus | None, new: FileStatus) -> None:
    """Raise `TransitionError` unless a file in `current` may move to `new`."""
    allowed = PREDECESSORS[new]
    if current is None and new is FileStatus.RECEIVED:
        return
    if current not in allowed:
        raise TransitionError(f"status: cannot move from {current.value if current else 'nothing'} to {new.value}")

"""UTC timestamps as the pipeline stores them."""

from datetime import UTC, datetime


def utc_now() -> str:
    """Current time, ISO 8601 with microseconds and `Z`."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")

"""Per-resource durations from terraform's machine-readable UI (`terraform apply|destroy -json`).

Each `apply_complete` message carries the resource address, the action and `elapsed_seconds`
(Terraform docs, "Machine-readable UI": the `apply_complete` hook). Used by `make bench-deploy`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass


class TimingsError(ValueError):
    """terraform's JSON output could not be read."""


@dataclass(frozen=True)
class ResourceTiming:
    """How long terraform took for one resource of one stack."""

    stack: str
    address: str
    action: str  # create | update | delete | ...
    seconds: float


def resource_timings(stack: str, json_lines: Iterable[str]) -> list[ResourceTiming]:
    """The completed resources in `json_lines` (one JSON UI message per line; other lines refused)."""
    timings = []
    for number, line in enumerate(json_lines, start=1):
        if not line.strip():
            continue
        try:
            message = json.loads(line)
        except json.JSONDecodeError as exc:
            raise TimingsError(f"{stack}: line {number} is not terraform JSON UI output: {line[:120]!r}") from exc
        if message.get("type") != "apply_complete":
            continue
        hook = message["hook"]
        timings.append(ResourceTiming(stack, hook["resource"]["addr"], hook["action"], float(hook["elapsed_seconds"])))
    return timings


def slowest(timings: Iterable[ResourceTiming], count: int = 10) -> list[ResourceTiming]:
    """The `count` slowest resources, slowest first (ties by stack and address, so the order is stable)."""
    return sorted(timings, key=lambda t: (-t.seconds, t.stack, t.address))[:count]

"""The dashboard's physical name, in a module without provider imports (the local renderer's CLI reads it)."""

from __future__ import annotations

from stacks.naming import Namer, Service

PURPOSE = "health"


def dashboard_name(namer: Namer) -> str:
    """`txnpipe-health-<workspace>`."""
    return namer.name(PURPOSE, Service.GENERIC)

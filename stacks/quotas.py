"""Account-level Lambda concurrency: reservations per function and the check that AWS would accept them.

Reserved concurrency comes out of the Region's account quota (`ConcurrentExecutions`, 1,000 by
default), and Lambda keeps at least 100 of it unreserved: "Lambda automatically reserves a buffer
of 100 concurrent executions for functions without any reserved concurrency limit. This means if
your account limit is 1000, you have a total of 900 available to allocate to individual functions"
(AWS Lambda API Reference, PutFunctionConcurrency; AWS Lambda Developer Guide, "Configuring
reserved concurrency for a function", https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html).
A reservation past that is refused at apply time with `InvalidParameterValueException`; workspaces
that share an account and Region share the quota, so the check sums over all of them at synth.
Pure code: no CDKTF, no AWS.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from stacks.config import WorkspaceConfig

# AWS's floor of unreserved concurrency per account and Region (PutFunctionConcurrency, API Reference).
MIN_UNRESERVED = 100


@dataclass(frozen=True, kw_only=True)
class Reservation:
    """Reserved concurrent executions of one function per workspace, and why it is reserved at all."""

    per_workspace: Mapping[str, int]
    reason: str

    def __post_init__(self) -> None:
        if not self.reason.strip():
            raise ValueError("a reservation needs its reason")
        bad = {w: n for w, n in self.per_workspace.items() if n < 0}
        if bad:
            raise ValueError(f"reserved concurrency must be >= 0 (AWS minimum): {bad}")

    def for_workspace(self, workspace: str) -> int | None:
        """The reservation in `workspace`, or None (the function uses the unreserved pool)."""
        return self.per_workspace.get(workspace)


class ConcurrencyQuotaError(ValueError):
    """Reservations in one account and Region leave less than AWS's minimum unreserved concurrency."""


def reservations_by_account(
    workspaces: Iterable[WorkspaceConfig], functions: Mapping[str, Reservation],
) -> dict[tuple[str, str], list[tuple[str, str, int]]]:
    """(account, region) -> [(workspace, function, reserved)] over every workspace deployed there."""
    grouped: dict[tuple[str, str], list[tuple[str, str, int]]] = {}
    for config in workspaces:
        entries = grouped.setdefault((config.aws_account, config.region), [])
        for function, reservation in sorted(functions.items()):
            reserved = reservation.for_workspace(config.name)
            if reserved is not None:
                entries.append((config.name, function, reserved))
    return grouped


def check_account_concurrency(workspaces: Iterable[WorkspaceConfig], functions: Mapping[str, Reservation]) -> None:
    """Raise `ConcurrencyQuotaError` naming the account, quota, sum and every reservation when over budget."""
    configs = list(workspaces)
    quotas: dict[tuple[str, str], int] = {}
    for c in configs:
        known = quotas.setdefault((c.aws_account, c.region), c.lambda_concurrency_quota)
        if known != c.lambda_concurrency_quota:
            raise ConcurrencyQuotaError(
                f"account {c.aws_account!r} ({c.region}): workspaces declare different concurrency quotas "
                f"({known} and {c.lambda_concurrency_quota} in {c.name!r})")
    for (account, region), entries in reservations_by_account(configs, functions).items():
        quota, total = quotas[(account, region)], sum(n for *_, n in entries)
        if total > quota - MIN_UNRESERVED:
            listing = ", ".join(f"{w}/{f}={n}" for w, f, n in entries)
            raise ConcurrencyQuotaError(
                f"account {account!r} ({region}): reserved Lambda concurrency {total} exceeds quota {quota} - "
                f"{MIN_UNRESERVED} unreserved = {quota - MIN_UNRESERVED}; reservations: {listing}"
            )

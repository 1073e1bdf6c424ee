"""IAM policy documents as data: statements in, JSON out (tokens resolve in strings)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

XRAY_REASON = "X-Ray trace submission has no resource-level permissions"


@dataclass(frozen=True, kw_only=True)
class Statement:
    """One IAM statement. `resources` must be ARNs; a `*` needs a `reason`."""

    sid: str
    actions: Sequence[str]
    resources: Sequence[str] = ()
    effect: str = "Allow"
    principals: Mapping[str, Any] | None = None
    conditions: Mapping[str, Mapping[str, Any]] | None = None
    reason: str = ""

    def __post_init__(self) -> None:
        if "*" in self.resources and not self.reason and self.effect == "Allow":
            raise ValueError(f"statement {self.sid}: Resource '*' needs a reason")

    def render(self) -> dict[str, Any]:
        """The statement as IAM JSON."""
        out: dict[str, Any] = {"Sid": self.sid, "Effect": self.effect, "Action": list(self.actions)}
        if self.principals is not None:
            out["Principal"] = dict(self.principals)
        if self.resources:
            out["Resource"] = list(self.resources) if len(self.resources) != 1 else self.resources[0]
        if self.conditions:
            out["Condition"] = {k: dict(v) for k, v in self.conditions.items()}
        return out


@dataclass(frozen=True)
class PolicyDocument:
    """An IAM policy document."""

    statements: Sequence[Statement] = field(default_factory=tuple)

    def to_json(self) -> str:
        """Render as compact, stably ordered JSON."""
        return json.dumps({"Version": "2012-10-17", "Statement": [s.render() for s in self.statements]})


def assume_role_policy(service: str) -> str:
    """Trust policy letting one AWS service principal assume a role."""
    return PolicyDocument([
        Statement(sid="TrustService", actions=["sts:AssumeRole"], principals={"Service": service}),
    ]).to_json()


def deny_insecure_transport(service: str, resource_arns: Sequence[str]) -> Statement:
    """Deny every `service` request on `resource_arns` that does not use TLS (a resource policy statement)."""
    return Statement(
        sid="DenyInsecureTransport", effect="Deny", actions=[f"{service}:*"], principals={"AWS": "*"},
        resources=resource_arns, conditions={"Bool": {"aws:SecureTransport": "false"}},
    )


def s3_deny_insecure_transport(resource_arns: Sequence[str], *, tls_min: str = "1.2") -> list[Statement]:
    """Deny any request not over TLS, and (for S3) TLS older than `tls_min`."""
    return [
        deny_insecure_transport("s3", resource_arns),
        Statement(
            sid="DenyOutdatedTls", effect="Deny", actions=["s3:*"], principals={"AWS": "*"},
            resources=resource_arns, conditions={"NumericLessThan": {"s3:TlsVersion": tls_min}},
        ),
    ]

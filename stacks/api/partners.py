"""Partners of the REST API: one API key and one usage plan (throttle + quota) each.

The partner id is the API key's identity: API Gateway puts the key's id in
`requestContext.identity.apiKeyId`, and the functions map it to a partner through the
`PARTNER_KEYS` environment variable (key id → partner id) generated here. No Lambda
authorizer, no lookup table, and a request can never choose its own partner.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, kw_only=True)
class PartnerPlan:
    """Limits of one partner's usage plan."""

    partner_id: str  # the `uploads/<partner_id>/` prefix and the key of its records
    rate_per_s: float
    burst: int
    quota_per_day: int

    def __post_init__(self) -> None:
        if not re.fullmatch(r"[a-z0-9-]{1,32}", self.partner_id):
            raise ValueError(f"partner id {self.partner_id!r}: 1-32 of a-z 0-9 -")


PARTNERS = (
    PartnerPlan(partner_id="acme", rate_per_s=50, burst=100, quota_per_day=500_000),
    PartnerPlan(partner_id="globex", rate_per_s=20, burst=40, quota_per_day=100_000),
)
# Stage-wide ceiling across all partners (protects the functions and the tables).
STAGE_RATE_PER_S = 200
STAGE_BURST = 400

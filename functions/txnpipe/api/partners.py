"""Partner identity: taken from the API key API Gateway validated, never from the request."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from txnpipe.api.http import HttpError, api_key_id


def parse_partner_keys(text: str) -> dict[str, str]:
    """The `PARTNER_KEYS` setting: a JSON object mapping API key id → partner id."""
    value = json.loads(text or "{}")
    if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        raise ValueError("PARTNER_KEYS must be a JSON object of API key id → partner id")
    return value


def partner_of(event: Mapping[str, Any], keys: Mapping[str, str]) -> str:
    """The calling partner. 403 when the request carries no key we know.

    API Gateway already refuses requests without a valid key (`api_key_required`), so a miss
    here means a key exists that is not mapped to a partner: refuse, never guess.
    """
    key_id = api_key_id(event)
    partner = keys.get(key_id) if key_id else None
    if partner is None:
        raise HttpError(403, "forbidden")
    return partner

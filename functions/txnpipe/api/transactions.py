"""POST /transactions: parse and validate one transaction, fingerprint it, build its item."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from txnpipe.api.http import HttpError
from txnpipe.api.keys import keyed_item
from txnpipe.api.views import STORED
from txnpipe.domain import Transaction, loads_json, validate_record
from txnpipe.layout import API_ARCHIVE_PREFIX

MAX_BODY_BYTES = 16 * 1024  # one transaction is well under 1 KiB; description ≤ 256 chars
SOURCE = "api"


@dataclass(frozen=True)
class Accepted:
    """A transaction that passed every rule, with the fingerprint of the request that carried it."""

    transaction: Transaction
    request_hash: str


def parse_transaction(body: bytes) -> Accepted:
    """Decode, parse and validate one transaction; HttpError(400) names what is wrong."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise HttpError(400, "invalid transaction", ("body: not UTF-8",)) from None
    try:
        record = loads_json(text)
    except ValueError as error:
        raise HttpError(400, "invalid transaction", (f"body: not valid JSON ({error})",)) from None
    if not isinstance(record, dict):
        raise HttpError(400, "invalid transaction", ("body: must be a JSON object",))
    result = validate_record(record)
    if isinstance(result, str):
        raise HttpError(400, "invalid transaction", (result,))
    return Accepted(result, request_hash(record))


def request_hash(record: Mapping[str, object]) -> str:
    """Fingerprint of the request's content: key order and whitespace do not matter."""
    canonical = json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def build_item(accepted: Accepted, *, partner_id: str, ingested_at: str) -> dict[str, str | int]:
    """The stored item: the domain's item shape plus table keys, source and fingerprint."""
    item = accepted.transaction.to_item(partner_id, None, None, ingested_at)
    return {**keyed_item(item), "source": SOURCE, "request_hash": accepted.request_hash}


def answer(item: Mapping[str, Any]) -> dict[str, Any]:
    """The body of a successful POST (the same for the first request and every replay)."""
    return {"transaction_id": item["transaction_id"], "status": STORED, "ingested_at": item["ingested_at"]}


def archive_key(partner_id: str, transaction_id: str, day: str, fingerprint: str) -> str:
    """Raw-bucket key of the archived request; content-addressed so a retry rewrites the same object."""
    return f"{API_ARCHIVE_PREFIX}/{partner_id}/{day}/{transaction_id}-{fingerprint[:16]}.json"

"""POST /transactions: validate, store once (idempotent on transaction_id), archive, announce.

Order: conditional PutItem (the idempotency decision) → raw archive → `TransactionIngested`.
A replay (same id, same content) repeats archive and event — both idempotent or deduplicated by
consumers on (partner_id, transaction_id) — so a failure after the write heals on the retry. The id
may have been stored by a file (first value wins, txnpipe.replays): the same content is a replay
(archived, not announced: the file path owns that transaction), other content a 409.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from aws_lambda_powertools import Logger, Tracer
from aws_lambda_powertools.utilities.typing import LambdaContext
from botocore.exceptions import ClientError

from txnpipe import clients
from txnpipe.api.http import HttpError, body_bytes, respond
from txnpipe.api.partners import parse_partner_keys, partner_of
from txnpipe.api.transactions import MAX_BODY_BYTES, Accepted, answer, archive_key, build_item, parse_transaction
from txnpipe.function_environments import ApiIngestEnvironment
from txnpipe.replays import content_hash
from txnpipe.timeutil import utc_now

logger = Logger()
tracer = Tracer()
ENV = ApiIngestEnvironment.from_environ()
EVENT_SOURCE = "txnpipe.api"
EVENT_TYPE = "TransactionIngested"


@cache
def _partner_keys() -> dict[str, str]:
    return parse_partner_keys(ENV.partner_keys)


@tracer.capture_lambda_handler
@logger.inject_lambda_context
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    """One transaction in; 201 (stored), 200 (replay), 400/413 (invalid), 409 (id reused)."""
    try:
        partner_id = partner_of(event, _partner_keys())
        body = body_bytes(event, limit=MAX_BODY_BYTES)
        accepted = parse_transaction(body)
        return _store(partner_id, accepted, body)
    except HttpError as error:
        logger.info("request refused", extra={"status": error.status, "reasons": list(error.reasons)})
        return error.response(event)


def _store(partner_id: str, accepted: Accepted, body: bytes) -> dict[str, Any]:
    now = utc_now()
    item = build_item(accepted, partner_id=partner_id, ingested_at=now)
    table = clients.table(ENV.transactions_table)
    status = 201
    try:
        table.put_item(Item=item, ConditionExpression="attribute_not_exists(transaction_key)")
    except ClientError as error:
        if error.response["Error"]["Code"] != "ConditionalCheckFailedException":
            raise
        existing = table.get_item(Key={"transaction_key": item["transaction_key"]}, ConsistentRead=True)["Item"]
        if content_hash(existing) != content_hash(item):  # first value wins, from a file or the API (txnpipe.replays)
            raise HttpError(409, "transaction_id already used with a different body",
                            (f"transaction_id: {accepted.transaction.transaction_id} exists",)) from None
        item, status = existing, 200
    _archive(partner_id, accepted, body)
    if not item.get("file_id"):  # a transaction a file stored is not the API's to announce
        _announce(item)
    logger.info("transaction stored", extra={"partner_id": partner_id, "replay": status == 200})
    return respond(status, answer(item))


def _archive(partner_id: str, accepted: Accepted, body: bytes) -> None:
    txn = accepted.transaction
    clients.client("s3").put_object(
        Bucket=ENV.raw_bucket,
        Key=archive_key(partner_id, txn.transaction_id, txn.timestamp_utc[:10], accepted.request_hash),
        Body=body, ContentType="application/json",
        ServerSideEncryption="aws:kms", SSEKMSKeyId=ENV.kms_key_arn,
    )


def _announce(item: dict[str, Any]) -> None:
    fields = ("partner_id", "transaction_id", "account_id", "currency", "transaction_type", "amount_minor",
              "signed_amount_minor", "timestamp_utc", "ingested_at", "source")
    detail = {k: int(item[k]) if k.endswith("_minor") else item[k] for k in fields if k in item}
    result = clients.client("events").put_events(Entries=[{
        "EventBusName": ENV.event_bus_name, "Source": EVENT_SOURCE, "DetailType": EVENT_TYPE,
        "Detail": json.dumps(detail, sort_keys=True),
    }])
    if result.get("FailedEntryCount"):
        raise RuntimeError(f"EventBridge refused {EVENT_TYPE}: {result['Entries']}")

"""Payload limits the pipeline can reach, bounded from the code and the contract's maximum field lengths.

Quota pages followed:
* Amazon SNS Developer Guide, "Amazon SNS message size": up to 256 KB (262,144 bytes) per message.
* Amazon EventBridge User Guide, "Calculating Amazon EventBridge PutEvents event entry size": 256 KB per
  entry, counting Time (14 bytes), Source, DetailType, Detail and Resources as UTF-8 bytes.
* AWS Step Functions API Reference, "TaskFailedEventDetails": error <= 256, cause <= 32,768 characters.
* Amazon DynamoDB Developer Guide, "Quotas in Amazon DynamoDB" (item size 400 KB, BatchGetItem and TransactWriteItems <= 100
  requests) and "Item sizes and formats" (names + values as UTF-8, numbers <= 21 bytes).
* AWS Lambda Developer Guide, "Lambda quotas": synchronous invocation payload 6 MB request and response;
  Amazon API Gateway quotas: 10 MB payload.
"""

from __future__ import annotations

import ast
import dataclasses
import json
from typing import Any

import pytest

from stacks.paths import FUNCTIONS_DIR as FUNCTIONS
from stacks.processing.definition import Targets, definition

SNS_LIMIT = EVENTBRIDGE_LIMIT = 262_144
ITEM_LIMIT = 400 * 1024
SYNC_PAYLOAD_LIMIT, API_PAYLOAD_LIMIT = 6 * 1024 * 1024, 10 * 1024 * 1024
ESCAPED = 6  # worst case bytes per character once JSON-escaped (\u00XX)
# Longest value each alert field can hold, in characters: ids from the contract and register_file,
# S3 names/keys from S3's limits (63 / 1,024 bytes), errors from Step Functions' TaskFailedEventDetails.
ALERT_FIELD_CHARS = {"$.file_id": 64, "$.bucket": 63, "$.key": 1024, "$.partner_id": 32,
                     "$.error": 256 + 32_768, "$.detail": 4 * 1024}  # S3 event detail: key + fixed fields


def alert_bounds(definition_json: str) -> dict[str, int]:
    """Per SNS-publishing state: the largest message it can send (raises on a field with no known bound)."""
    bounds = {}
    for name, state in json.loads(definition_json)["States"].items():
        if state.get("Resource") != "arn:aws:states:::sns:publish":
            continue
        message = state["Parameters"].get("Message")
        if not isinstance(message, dict):
            raise AssertionError(f"{name}: message {state['Parameters']} has no bound (the whole state can be 256 KiB)")
        unknown = [v for k, v in message.items() if k.endswith(".$") and v not in ALERT_FIELD_CHARS]
        if unknown:
            raise AssertionError(f"{name}: no known bound for {unknown}")
        bounds[name] = 2 + sum(len(k) + 8 + (ESCAPED * ALERT_FIELD_CHARS[v] if k.endswith(".$") else len(json.dumps(v)))
                               for k, v in message.items())
    return bounds


def _definition() -> str:
    return definition(Targets(**{f.name: f"arn:aws:lambda:us-east-1:123456789012:function:{f.name}"
                                 for f in dataclasses.fields(Targets)}))


def test_failure_alerts_fit_an_sns_message() -> None:
    bounds = alert_bounds(_definition())
    assert set(bounds) == {"AlertFileFailure", "AlertEventFailure"}
    assert max(bounds.values()) < SNS_LIMIT


def test_the_alert_check_refuses_an_unknown_field() -> None:
    doc = json.loads(_definition())
    doc["States"]["AlertFileFailure"]["Parameters"]["Message"]["chunks.$"] = "$.chunks"
    with pytest.raises(AssertionError, match=r"\$\.chunks"):
        alert_bounds(json.dumps(doc))


def test_the_alert_check_refuses_the_whole_state() -> None:
    # Mutation: the old AlertFailure message, States.JsonToString($).
    doc = json.loads(_definition())
    doc["States"]["AlertFileFailure"]["Parameters"] = {"Message.$": "States.JsonToString($)"}
    with pytest.raises(AssertionError, match="has no bound"):
        alert_bounds(json.dumps(doc))


def worst_item() -> dict[str, Any]:
    """The largest transaction item the contract admits (4-byte UTF-8 description), as the API stores it."""
    from txnpipe.api.transactions import Accepted, build_item
    from txnpipe.domain import validate_record
    from txnpipe.domain.rules import MAX_DESCRIPTION_LENGTH, MAX_ID_LENGTH

    record = {"transaction_id": "t" * MAX_ID_LENGTH, "account_id": "a" * MAX_ID_LENGTH, "amount": "9" * 12 + ".99",
              "currency": "USD", "transaction_type": "TRANSFER", "timestamp": "2024-01-01T00:00:00.123456789+05:30",
              "merchant_id": "m" * MAX_ID_LENGTH, "description": "\U0001f4b8" * MAX_DESCRIPTION_LENGTH}
    transaction = validate_record(record)
    assert not isinstance(transaction, str), transaction
    item = build_item(Accepted(transaction, "f" * 64), partner_id="p" * 32, ingested_at="2024-01-01T00:00:00.000000Z")
    return {**item, "file_id": "f" * 64, "source_row": 10**12}  # file loads carry these instead


def dynamodb_item_bytes(item: dict[str, Any]) -> int:
    """Item size as DynamoDB counts it: attribute names + string values in UTF-8, numbers <= 21 bytes."""
    def value(v: Any) -> int:
        return min(21, len(str(abs(v))) // 2 + 2) if isinstance(v, int) else len(str(v).encode("utf-8"))
    return sum(len(k.encode("utf-8")) + value(v) for k, v in item.items())


def test_the_largest_transaction_item_fits_400_kb() -> None:
    size = dynamodb_item_bytes(worst_item())
    assert 1024 < size < ITEM_LIMIT  # the 4-byte description really counts


def _handler_tree(function: str) -> ast.Module:
    # Read, not imported: importing a handler here would leave its module (and clients) cached for the
    # handler tests that import it under their own fake AWS.
    return ast.parse((FUNCTIONS / function / "handler.py").read_text())


def _constant(tree: ast.Module, name: str) -> str:
    (value,) = [n.value.value for n in tree.body if isinstance(n, ast.Assign) and isinstance(n.value, ast.Constant)
                and any(getattr(t, "id", "") == name for t in n.targets)]
    return str(value)


def test_transaction_ingested_events_fit_an_eventbridge_entry() -> None:
    # The event's detail is a subset of the stored item's fields, so the item's JSON bounds it.
    tree = _handler_tree("api_ingest")
    source, detail_type = _constant(tree, "EVENT_SOURCE"), _constant(tree, "EVENT_TYPE")
    detail = json.dumps(worst_item(), sort_keys=True)
    assert 14 + len(source) + len(detail_type) + len(detail.encode("utf-8")) < EVENTBRIDGE_LIMIT


def test_file_processed_events_fit_an_eventbridge_entry() -> None:
    entry = json.loads(_definition())["States"]["PublishFileProcessed"]["Parameters"]["Entries"][0]
    bounds = {"$.file_id": 64, "$.partner_id": 32, "$.final.status": 32, "$.key": 1024}
    detail = sum(len(k) + 8 + ESCAPED * bounds[v] for k, v in entry["Detail"].items())
    assert 14 + len(entry["Source"]) + len(entry["DetailType"]) + detail < EVENTBRIDGE_LIMIT


def test_the_loader_reads_and_writes_at_most_100_items_per_call() -> None:
    # The loader stores through txnpipe.loading.store_batch: chunks of 100 keys per BatchGetItem and 100 puts per
    # TransactWriteItems, AWS's maxima for both.
    from txnpipe.conditional_writes import MAX_GET, MAX_TRANSACTION

    assert (MAX_GET, MAX_TRANSACTION) == (100, 100)
    calls = [n for n in ast.walk(_handler_tree("load_transactions")) if isinstance(n, ast.Call)
             and getattr(n.func, "id", "") == "store_batch"]
    assert len(calls) == 1


def test_api_request_bodies_stay_far_below_lambda_and_gateway_payload_limits() -> None:
    # API functions are invoked synchronously: the body they accept is capped before any work (413 above it).
    from txnpipe.api import transactions, uploads

    assert max(transactions.MAX_BODY_BYTES, uploads.MAX_BODY_BYTES) * 4 / 3 < SYNC_PAYLOAD_LIMIT <= API_PAYLOAD_LIMIT
    # A GET answers one stored item: bounded by DynamoDB's 400 KB item, far below 6 MB.
    assert ITEM_LIMIT < SYNC_PAYLOAD_LIMIT

"""The append-only audit trail (DynamoDB `audit` table: entity_id + event_key)."""

from __future__ import annotations

from typing import Any

from txnpipe import clients


def append(table_name: str, *, entity_id: str, at: str, event: str, **fields: Any) -> None:
    """Write one audit entry; an existing entry is never overwritten."""
    item = {"entity_id": entity_id, "event_key": f"{at}#{event}", "event": event, "at": at, **fields}
    clients.table(table_name).put_item(Item=item, ConditionExpression="attribute_not_exists(entity_id)")

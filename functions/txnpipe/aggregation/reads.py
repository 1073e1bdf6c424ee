"""The transactions of the days a run rolls up, read from DAY_INDEX: one paginated Query per day and shard.

A Query without a filter reads only the items it returns, so a run reads the days it rolls up and
nothing else, however long the table's history (a Scan reads every item, whatever its filter).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from boto3.dynamodb.conditions import Key

from txnpipe.aggregation.rollup import ROLLUP_FIELDS
from txnpipe.items import day_shard_keys
from txnpipe.layout import DAY_INDEX, DAY_SHARD_ATTRIBUTE


@dataclass
class ReadStats:
    """What a read cost: requests, items DynamoDB read, and the read units it reported."""

    requests: int = 0
    items_read: int = 0
    read_units: float = 0.0

    def count(self, page: Mapping[str, Any]) -> None:
        """Add one Query or Scan page (`ScannedCount`: items read, before any filter)."""
        self.requests += 1
        self.items_read += int(page.get("ScannedCount", page.get("Count", 0)))
        self.read_units += float(page.get("ConsumedCapacity", {}).get("CapacityUnits", 0.0))


def day_query(shard_key: str) -> dict[str, Any]:
    """Query arguments for one shard of one day, projecting what `rollup` needs (names escaped: reserved words)."""
    names = {f"#p{i}": field for i, field in enumerate(ROLLUP_FIELDS)}
    return {
        "IndexName": DAY_INDEX, "KeyConditionExpression": Key(DAY_SHARD_ATTRIBUTE).eq(shard_key),
        "ProjectionExpression": ", ".join(names), "ExpressionAttributeNames": names,
        "ReturnConsumedCapacity": "TOTAL",
    }


def day_transactions(table: Any, days: Iterable[str], stats: ReadStats) -> Iterator[dict[str, Any]]:
    """Every stored transaction of `days` (a boto3 Table), counting what each page cost into `stats`."""
    for day in days:
        for shard_key in day_shard_keys(day):
            request = day_query(shard_key)
            while True:
                page = table.query(**request)
                stats.count(page)
                yield from page["Items"]
                if "LastEvaluatedKey" not in page:
                    break
                request["ExclusiveStartKey"] = page["LastEvaluatedKey"]

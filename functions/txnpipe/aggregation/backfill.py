"""Give items stored before DAY_INDEX existed their `txn_day_shard`, once (an operator command).

Run: ``PYTHONPATH=functions .venv/bin/python -m txnpipe.aggregation.backfill --table <transactions table>``
with the target account's credentials (or `AWS_ENDPOINT_URL` for the local emulator). It scans the
table once for items without the attribute and sets it with a conditional UpdateItem (an item
deleted meanwhile is not recreated; a re-run finds nothing left to do). Until it has run, the
aggregator does not see those items: their days' totals miss them.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any

from boto3.dynamodb.conditions import Attr
from botocore.exceptions import ClientError

from txnpipe import clients
from txnpipe.items import with_day_shard
from txnpipe.layout import DAY_SHARD_ATTRIBUTE


def _set_shard(table: Any, item: dict[str, Any]) -> bool:
    keyed = with_day_shard(item)
    try:
        table.update_item(
            Key={"transaction_key": item["transaction_key"]}, UpdateExpression="SET #s = :s",
            ConditionExpression="attribute_exists(transaction_key) AND attribute_not_exists(#s)",
            ExpressionAttributeNames={"#s": DAY_SHARD_ATTRIBUTE}, ExpressionAttributeValues={":s": keyed[DAY_SHARD_ATTRIBUTE]},
        )
    except ClientError as error:
        if error.response["Error"]["Code"] == "ConditionalCheckFailedException":
            return False  # deleted, or keyed by a writer since the scan read it
        raise
    return True


def backfill(table: Any) -> int:
    """Set the day index key on every item of `table` (a boto3 Table) that lacks it; returns how many."""
    scan: dict[str, Any] = {"FilterExpression": Attr(DAY_SHARD_ATTRIBUTE).not_exists(),
                            "ProjectionExpression": "transaction_key, timestamp_utc"}
    updated = 0
    while True:
        page = table.scan(**scan)
        updated += sum(_set_shard(table, item) for item in page["Items"])
        if "LastEvaluatedKey" not in page:
            return updated
        scan["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: backfill one table, print how many items were keyed."""
    parser = argparse.ArgumentParser(prog="python -m txnpipe.aggregation.backfill", description=__doc__.splitlines()[0])
    parser.add_argument("--table", required=True, help="name of the transactions table")
    args = parser.parse_args(argv)
    print(f"{backfill(clients.table(args.table))} items given {DAY_SHARD_ATTRIBUTE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

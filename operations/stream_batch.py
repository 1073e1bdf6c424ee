"""A DynamoDB stream batch named by an on-failure record, read again from the stream.

Lambda's on-failure record for a stream source carries `DDBStreamBatchInfo` (stream ARN, shard,
first and last sequence numbers), not the records: they stay in the stream for 24 hours
("DynamoDB Streams and Lambda triggers"; "Capturing discarded batches"). `read_batch` reads them
again and shapes them as the event source mapping delivered them (`eventSourceARN`, epoch times).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

MAX_PAGES = 1_000  # a batch is at most 10,000 records; a shard read never loops for ever


@dataclass(frozen=True)
class StreamBatch:
    """Where a discarded batch lies in its stream."""

    stream_arn: str
    shard_id: str
    first: str
    last: str

    @classmethod
    def parse(cls, text: str) -> StreamBatch:
        """From the JSON of `DDBStreamBatchInfo`; a missing field raises ValueError naming it."""
        info = json.loads(text)
        missing = [k for k in ("streamArn", "shardId", "startSequenceNumber", "endSequenceNumber") if not info.get(k)]
        if missing:
            raise ValueError(f"DDBStreamBatchInfo: missing {', '.join(missing)}")
        return cls(str(info["streamArn"]), str(info["shardId"]), str(info["startSequenceNumber"]),
                   str(info["endSequenceNumber"]))


def _as_delivered(record: dict[str, Any], stream_arn: str) -> dict[str, Any]:
    data = dict(record["dynamodb"])
    created = data.get("ApproximateCreationDateTime")
    if isinstance(created, datetime):
        data["ApproximateCreationDateTime"] = created.timestamp()
    return {**record, "dynamodb": data, "eventSourceARN": stream_arn}


def read_batch(streams: Any, batch: StreamBatch) -> list[dict[str, Any]]:
    """The batch's records, first to last sequence number (a `dynamodbstreams` client reads them)."""
    iterator = streams.get_shard_iterator(StreamArn=batch.stream_arn, ShardId=batch.shard_id,
                                          ShardIteratorType="AT_SEQUENCE_NUMBER",
                                          SequenceNumber=batch.first)["ShardIterator"]
    records: list[dict[str, Any]] = []
    for _ in range(MAX_PAGES):
        page = streams.get_records(ShardIterator=iterator)
        for record in page["Records"]:
            if int(record["dynamodb"]["SequenceNumber"]) > int(batch.last):
                return records
            records.append(_as_delivered(record, batch.stream_arn))
        iterator = page.get("NextShardIterator")
        if not page["Records"] or not iterator:
            break
    if not records:
        raise ValueError(f"no records {batch.first}..{batch.last} left in {batch.shard_id} (past the 24 h retention?)")
    return records

"""Loading one part of a file: store its new rows, count replays, set conflicts aside, record the counts once.

The counts of a part are added to the file's status record in one conditional update that also adds the
part's id to `loaded_parts`, so a part loaded again (a retried child, a killed writer) is counted once.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import Any

from botocore.exceptions import ClientError

from txnpipe.backoff import Backoff
from txnpipe.conditional_writes import DEFAULT_BACKOFF, MAX_TRANSACTION, put_new, stored_items
from txnpipe.replays import CONTENT_FIELDS, Outcome, Tally, classify

KEY = "transaction_key"


def store_batch(client: Any, table: str, items: Sequence[dict[str, Any]], *, backoff: Backoff = DEFAULT_BACKOFF) -> Tally:
    """Store `items` (one file's rows, unique keys) first-value-wins; the tally of what each came to."""
    tally = Tally()
    for start in range(0, len(items), MAX_TRANSACTION):
        chunk = items[start:start + MAX_TRANSACTION]
        kept = stored_items(client, table, [str(i[KEY]) for i in chunk], key=KEY, backoff=backoff)
        new = [item for item in chunk if str(item[KEY]) not in kept]
        found, _ = put_new(client, table, new, key=KEY, backoff=backoff)
        kept.update(found)
        for item in chunk:
            stored = kept.get(str(item[KEY]))
            tally.count(classify(item, stored) if stored is not None else Outcome.STORED, item, stored)
    return tally


def part_id(key: str) -> str:
    """A short, stable id of one loaded object (its key's SHA-256 prefix): one element of `loaded_parts`."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]


def conflict_lines(tally: Tally) -> bytes:
    """The conflicting rows as JSON Lines `{"row", "reason", "raw"}`, the shape of the rejected rows."""
    lines = (json.dumps({"row": row, "reason": reason,
                         "raw": {f: item[f] for f in CONTENT_FIELDS if f in item}}, ensure_ascii=False)
             for row, reason, item in sorted(tally.conflicts, key=lambda c: c[0]))
    return "".join(f"{line}\n" for line in lines).encode("utf-8")


def record_part(files: Any, *, file_id: str, part: str, tally: Tally, conflicts_at: str | None) -> bool:
    """Add the part's counts to the file's record once; False when this part was already counted."""
    values: dict[str, Any] = {":s": tally.stored, ":r": tally.replayed, ":c": len(tally.conflicts),
                              ":part": {part}, ":name": part}
    update = "ADD rows_stored :s, rows_replayed :r, rows_conflicting :c, loaded_parts :part"
    if conflicts_at:
        update += " SET conflicts_prefix = :q"
        values[":q"] = conflicts_at
    try:
        files.update_item(Key={"file_id": file_id}, UpdateExpression=update, ExpressionAttributeValues=values,
                          ConditionExpression="attribute_exists(file_id) AND NOT contains(loaded_parts, :name)",
                          ReturnValuesOnConditionCheckFailure="ALL_OLD")
    except ClientError as error:
        if error.response["Error"]["Code"] != "ConditionalCheckFailedException":
            raise
        if not error.response.get("Item"):
            raise LookupError(f"file_id: {file_id} has no status record to count its load in") from None
        return False
    return True

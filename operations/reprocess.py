"""`make reprocess FILE_ID=...`: run one terminal file through the pipeline again.

The file's status record names its object (bucket, key, version). The tool starts the file state
machine with the "Object Created" event the upload rule would deliver for that object version,
plus the reprocess request (txnpipe.reprocess: who, from the caller's identity, and when).
register_file moves the file back to RECEIVED and audits `FileReprocessed`; validation recomputes
the same counts, and the keyed writes of the load store no row twice. A file that is not
terminal is refused here (and again, atomically, by register_file).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from txnpipe.reprocess import REPROCESS_KEY, Reprocess
from txnpipe.status import FileStatus

EXECUTION_PREFIX = "reprocess-"


class NotReprocessable(ValueError):
    """The file cannot be run again now; the message says why."""


@dataclass(frozen=True)
class Started:
    """A reprocess started: the execution to watch."""

    file_id: str
    previous_status: str
    execution_arn: str


def upload_event(item: dict[str, Any], *, bucket: str, region: str, account: str) -> dict[str, Any]:
    """The "Object Created" event of the file's object version, as the upload rule delivers it."""
    version = str(item.get("version_id", "null"))
    return {
        "version": "0", "id": f"reprocess-{item['file_id']}", "detail-type": "Object Created", "source": "aws.s3",
        "account": account, "region": region, "resources": [f"arn:aws:s3:::{bucket}"],
        "detail": {"version": "0", "bucket": {"name": bucket}, "reason": "PutObject",
                   "object": {"key": str(item["object_key"]), "size": int(item.get("size_bytes", 0)),
                              **({"version-id": version} if version != "null" else {})}},
    }


def execution_name(file_id: str, at: str) -> str:
    """`reprocess-<file id>-<time>`: within Step Functions' 80 characters of [A-Za-z0-9-_]."""
    return f"{EXECUTION_PREFIX}{file_id}-{re.sub(r'[^0-9]', '', at)}"[:80]


def check(item: dict[str, Any] | None, file_id: str) -> dict[str, Any]:
    """The file's (terminal) record; NotReprocessable when there is no such file or it is still running."""
    if item is None:
        raise NotReprocessable(f"no file {file_id} in the files table (`make status` lists recent ones)")
    status = FileStatus(str(item["status"]))
    if not status.terminal:
        raise NotReprocessable(f"file {file_id} is {status.value}: only a terminal file is reprocessed; "
                               "wait for it to finish (or fail) and try again")
    return item


def reprocess(file_id: str, *, files: Any, stepfunctions: Any, state_machine_arn: str, bucket: str,
              request: Reprocess) -> Started:
    """Start the file's run again (`files`: the boto3 Table of the workspace's files)."""
    item = check(files.get_item(Key={"file_id": file_id}, ConsistentRead=True).get("Item"), file_id)
    _, _, _, region, account, *_ = state_machine_arn.split(":")
    event = {**upload_event(item, bucket=str(item.get("bucket") or bucket), region=region, account=account),
             REPROCESS_KEY: request.to_event()}
    arn = stepfunctions.start_execution(stateMachineArn=state_machine_arn, name=execution_name(file_id, request.at),
                                        input=json.dumps(event))["executionArn"]
    return Started(file_id, str(item["status"]), str(arn))

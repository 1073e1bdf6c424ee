"""`make status`: what an operator looks at first — files by status, the oldest open files, dead-letter queues.

Read-only. Counts come from the files table's status index (one COUNT query per status, every
page), the oldest open files from the same index in `updated_at` order, and each DLQ's depth from
`ApproximateNumberOfMessages` (visible) and `...NotVisible` (being received).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from boto3.dynamodb.conditions import Key

from stacks.naming import Namer, Service
from txnpipe.layout import STATUS_INDEX
from txnpipe.sla import parse_utc
from txnpipe.status import FileStatus

FILES_PURPOSE = "files"  # stacks.storage.stack.FILES.purpose (a test holds them equal)
DLQ_SUFFIX = "-dlq"
OLDEST_SHOWN = 10


@dataclass(frozen=True)
class OpenFile:
    """A file not yet terminal: which, in what status, since when."""

    file_id: str
    status: str
    received_at: str
    updated_at: str


@dataclass(frozen=True)
class Status:
    """One workspace's status at `at`."""

    workspace: str
    at: datetime
    by_status: dict[str, int]
    oldest_open: list[OpenFile]
    dlqs: dict[str, tuple[int, int]]  # queue -> (visible, in flight)


def _count(table: Any, status: str) -> int:
    args: dict[str, Any] = {"IndexName": STATUS_INDEX, "KeyConditionExpression": Key("status").eq(status),
                            "Select": "COUNT"}
    total = 0
    while True:
        page = table.query(**args)
        total += int(page["Count"])
        if "LastEvaluatedKey" not in page:
            return total
        args["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def _oldest(table: Any, status: str) -> list[OpenFile]:
    page = table.query(IndexName=STATUS_INDEX, KeyConditionExpression=Key("status").eq(status),
                       ScanIndexForward=True, Limit=OLDEST_SHOWN)
    return [OpenFile(str(i["file_id"]), status, str(i.get("received_at", "?")), str(i["updated_at"]))
            for i in page["Items"]]


def _dlqs(sqs: Any, namer: Namer) -> dict[str, tuple[int, int]]:
    prefix, suffix = f"{namer.project}-", f"{DLQ_SUFFIX}-{namer.workspace}"
    depths: dict[str, tuple[int, int]] = {}
    for url in sqs.list_queues(QueueNamePrefix=prefix).get("QueueUrls", []):
        name = url.rsplit("/", 1)[-1]
        if name.endswith(suffix):
            attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=[
                "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"])["Attributes"]
            depths[name] = (int(attributes["ApproximateNumberOfMessages"]),
                            int(attributes["ApproximateNumberOfMessagesNotVisible"]))
    return dict(sorted(depths.items()))


def gather(workspace: str, *, dynamodb: Any, sqs: Any, now: datetime | None = None) -> Status:
    """Read the workspace's files table and dead-letter queues (`dynamodb`: a boto3 resource, `sqs`: a client)."""
    namer = Namer(workspace=workspace)
    table = dynamodb.Table(namer.name(FILES_PURPOSE, Service.DYNAMODB))
    by_status = {s.value: _count(table, s.value) for s in FileStatus}
    open_files = [f for s in FileStatus if not s.terminal for f in _oldest(table, s.value)]
    oldest = sorted(open_files, key=lambda f: f.updated_at)[:OLDEST_SHOWN]
    return Status(workspace, now or datetime.now(UTC), by_status, oldest, _dlqs(sqs, namer))


def _age(stamp: str, now: datetime) -> str:
    try:
        minutes = int((now - parse_utc(stamp)).total_seconds() // 60)
    except ValueError:
        return "?"
    return f"{minutes // 60}h{minutes % 60:02d}m" if minutes >= 60 else f"{minutes}m"


def render(status: Status) -> str:
    """The report as text: three small tables."""
    lines = [f"workspace {status.workspace} at {status.at.strftime('%Y-%m-%d %H:%M:%S')}Z", "", "files by status"]
    lines += [f"  {name:<22} {count:>8}" for name, count in status.by_status.items()]
    lines += ["", f"oldest files not terminal (up to {OLDEST_SHOWN})"]
    lines += [f"  {f.file_id:<40} {f.status:<12} received {f.received_at} ({_age(f.received_at, status.at)} ago), "
              f"last change {_age(f.updated_at, status.at)} ago" for f in status.oldest_open] or ["  none"]
    lines += ["", "dead-letter queues (visible / in flight)"]
    lines += [f"  {name:<40} {visible:>6} / {flight}" for name, (visible, flight) in status.dlqs.items()] or ["  none found"]
    return "\n".join(lines)

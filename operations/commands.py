"""The redrive and reprocess commands: names from the workspace, clients from the session, a printed report."""

from __future__ import annotations

import sys
from typing import Any

from operations.redrive import Aws, redrive, render
from operations.reprocess import NotReprocessable, reprocess
from operations.status import FILES_PURPOSE
from stacks.naming import Namer, Service
from txnpipe.layout import bucket_name
from txnpipe.reprocess import Reprocess
from txnpipe.timeutil import utc_now

STATE_MACHINE_PURPOSE, RAW_PURPOSE = "files", "raw"  # as stacks/processing/state_machine.py and stacks/storage


def queue_name(namer: Namer, queue: str) -> str:
    """The DLQ's physical name: `queue` itself when qualified, else the workspace's queue of that purpose."""
    return queue if queue.startswith(f"{namer.project}-") else namer.name(queue, Service.SQS)


def redrive_command(session: Any, endpoint: str | None, *, workspace: str, queue: str, dry_run: bool) -> int:
    """Redrive one DLQ of the workspace; 1 when a message was left in it (0 with --dry-run)."""
    name = queue_name(Namer(workspace=workspace), queue)
    sqs = session.client("sqs", endpoint_url=endpoint)
    try:
        url = sqs.get_queue_url(QueueName=name)["QueueUrl"]
    except sqs.exceptions.QueueDoesNotExist:
        print(f"no queue {name} in workspace {workspace} (`make status` lists its dead-letter queues)", file=sys.stderr)
        return 2
    aws = Aws(sqs=sqs, stepfunctions=session.client("stepfunctions", endpoint_url=endpoint),
              lambda_=session.client("lambda", endpoint_url=endpoint),
              streams=session.client("dynamodbstreams", endpoint_url=endpoint))
    outcomes = redrive(url, aws, dry_run=dry_run)
    print(render(name, outcomes, dry_run=dry_run))
    return 0 if dry_run or all(o.done for o in outcomes) else 1


def reprocess_command(session: Any, endpoint: str | None, *, workspace: str, file_id: str) -> int:
    """Start a terminal file again; 1 when it is refused."""
    namer = Namer(workspace=workspace)
    identity = session.client("sts", endpoint_url=endpoint).get_caller_identity()
    account, region = str(identity["Account"]), session.region_name
    machine = f"arn:aws:states:{region}:{account}:stateMachine:{namer.name(STATE_MACHINE_PURPOSE, Service.STATES)}"
    files = session.resource("dynamodb", endpoint_url=endpoint).Table(namer.name(FILES_PURPOSE, Service.DYNAMODB))
    try:
        started = reprocess(file_id, files=files, stepfunctions=session.client("stepfunctions", endpoint_url=endpoint),
                            state_machine_arn=machine, bucket=bucket_name(namer.name(RAW_PURPOSE), account),
                            request=Reprocess(by=str(identity["Arn"]), at=utc_now()))
    except NotReprocessable as refused:
        print(f"not reprocessed: {refused}", file=sys.stderr)
        return 1
    print(f"file {started.file_id} ({started.previous_status}) is being reprocessed by {started.execution_arn}")
    return 0

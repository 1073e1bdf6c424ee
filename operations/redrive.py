"""`make redrive QUEUE=...`: send each dead-lettered message back where it failed to go.

What a message is decides what redriving it does (`plan`, pure):
- an EventBridge rule's or a Scheduler schedule's DLQ entry (attribute `TARGET_ARN`; the body is the
  target's input): a Step Functions target gets `StartExecution` named `redrive-<event id>`, so a
  second redrive of the same event finds it already started; a Lambda target is invoked
  asynchronously; an SQS target gets the body sent;
- a Lambda asynchronous on-failure record (`requestContext.functionArn`, `requestPayload`): the
  function is invoked asynchronously with the original payload;
- a DynamoDB stream on-failure record (`DDBStreamBatchInfo`): the batch's records are read again
  from the stream (they are kept 24 h) and the function is invoked with them, as the mapping does.
Anything else is left in the queue with the reason. A message is deleted only once its redrive
worked; a failed redrive leaves it where it was. `--dry-run` shows the plan and changes nothing.
The targets are idempotent per event (file ids per object version, scheduled windows, conditional
audit writes), so a redrive that is repeated stores nothing twice.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from operations.stream_batch import StreamBatch, read_batch

EXECUTION_PREFIX = "redrive-"
RECEIVE_WAIT_S = 1
HIDDEN_S = 120  # a message being redriven stays invisible for this long (received once per run)


class Unredrivable(ValueError):
    """A message this tool does not know how to send back, with the reason."""


@dataclass(frozen=True)
class Action:
    """What redriving one message does: `kind` on `target` with `payload`."""

    kind: str  # start-execution | invoke-async | send-message | replay-stream-batch
    target: str
    payload: str
    name: str = ""  # the execution name, for start-execution


@dataclass(frozen=True)
class Outcome:
    """One message's redrive: done (and deleted) or not, and what happened."""

    message_id: str
    receipt: str
    action: Action | None
    done: bool
    detail: str


def _attribute(message: dict[str, Any], name: str) -> str | None:
    value = message.get("MessageAttributes", {}).get(name, {}).get("StringValue")
    return str(value) if value else None


def _to_target(target: str, body: str) -> Action:
    service = target.split(":")[2] if target.count(":") >= 5 else ""
    if service == "states":
        event_id = str(json.loads(body).get("id", "")) if body.lstrip().startswith("{") else ""
        if not event_id:
            raise Unredrivable("a Step Functions target's DLQ entry without an event id: start it by hand")
        return Action("start-execution", target, body, name=f"{EXECUTION_PREFIX}{event_id}"[:80])
    if service == "lambda":
        return Action("invoke-async", target, body)
    if service == "sqs":
        return Action("send-message", target, body)
    raise Unredrivable(f"target {target}: redrive supports Step Functions, Lambda and SQS targets")


def plan(message: dict[str, Any]) -> Action:
    """The action that sends `message` (an SQS message with attributes) back; Unredrivable says why not."""
    body = str(message.get("Body", ""))
    target = _attribute(message, "TARGET_ARN")
    if target:
        return _to_target(target, body)
    try:
        record = json.loads(body)
    except json.JSONDecodeError:
        raise Unredrivable("neither a rule/schedule DLQ entry nor an on-failure record (body is not JSON)") from None
    function = record.get("requestContext", {}).get("functionArn") if isinstance(record, dict) else None
    if not function:
        raise Unredrivable("neither a rule/schedule DLQ entry nor an on-failure record (no TARGET_ARN, no functionArn)")
    if "DDBStreamBatchInfo" in record:
        return Action("replay-stream-batch", str(function), json.dumps(record["DDBStreamBatchInfo"]))
    if "requestPayload" in record:
        return Action("invoke-async", str(function), json.dumps(record["requestPayload"]))
    raise Unredrivable("an on-failure record with neither requestPayload nor DDBStreamBatchInfo")


@dataclass(frozen=True)
class Aws:
    """The clients a redrive calls (boto3 clients)."""

    sqs: Any
    stepfunctions: Any
    lambda_: Any
    streams: Any


def perform(action: Action, aws: Aws) -> str:
    """Do `action`; return what was done. Raises on failure (the message then stays in its queue)."""
    if action.kind == "start-execution":
        try:
            arn = aws.stepfunctions.start_execution(stateMachineArn=action.target, name=action.name,
                                                    input=action.payload)["executionArn"]
        except aws.stepfunctions.exceptions.ExecutionAlreadyExists:
            return f"execution {action.name} was already started by an earlier redrive"
        return f"started {arn}"
    if action.kind == "invoke-async":
        aws.lambda_.invoke(FunctionName=action.target, InvocationType="Event", Payload=action.payload.encode())
        return f"invoked {action.target} asynchronously"
    if action.kind == "send-message":
        url = aws.sqs.get_queue_url(QueueName=action.target.rsplit(":", 1)[-1])["QueueUrl"]
        aws.sqs.send_message(QueueUrl=url, MessageBody=action.payload)
        return f"sent to {action.target}"
    records = read_batch(aws.streams, StreamBatch.parse(action.payload))
    answer = aws.lambda_.invoke(FunctionName=action.target, Payload=json.dumps({"Records": records}).encode())
    if answer.get("FunctionError"):
        raise RuntimeError(f"{action.target} failed again on the batch: {answer['Payload'].read()[:300]!r}")
    return f"{action.target} processed the {len(records)} record(s) again"


def redrive(queue_url: str, aws: Aws, *, dry_run: bool) -> list[Outcome]:
    """Redrive every message of the queue once; delete those sent back (none when `dry_run`)."""
    outcomes: list[Outcome] = []
    while True:
        messages = aws.sqs.receive_message(
            QueueUrl=queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=RECEIVE_WAIT_S,
            VisibilityTimeout=HIDDEN_S, MessageAttributeNames=["All"]).get("Messages", [])
        if not messages:
            break
        outcomes += [_one(queue_url, message, aws, dry_run=dry_run) for message in messages]
    for outcome in outcomes:  # what stays in the queue is visible again at once (hidden only during the run)
        if not outcome.done:
            aws.sqs.change_message_visibility(QueueUrl=queue_url, ReceiptHandle=outcome.receipt, VisibilityTimeout=0)
    return outcomes


def _one(queue_url: str, message: dict[str, Any], aws: Aws, *, dry_run: bool) -> Outcome:
    seen = (message["MessageId"], message["ReceiptHandle"])
    try:
        action = plan(message)
    except Unredrivable as reason:
        return Outcome(*seen, None, False, f"left in the queue: {reason}")
    if dry_run:
        return Outcome(*seen, action, False, f"would {action.kind} {action.target}")
    try:
        detail = perform(action, aws)
    except Exception as error:  # any failure leaves the message in its queue, and is reported
        return Outcome(*seen, action, False, f"left in the queue: {type(error).__name__}: {error}")
    aws.sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
    return Outcome(*seen, action, True, detail)


def render(queue: str, outcomes: list[Outcome], *, dry_run: bool) -> str:
    """One line per message, then the totals."""
    done = sum(o.done for o in outcomes)
    lines = [f"{queue}: {len(outcomes)} message(s){' (dry run: nothing changed)' if dry_run else ''}"]
    lines += [f"  {o.message_id}  {'redriven' if o.done else 'kept'}  {o.detail}" for o in outcomes]
    lines.append(f"redriven {done}, left in the queue {len(outcomes) - done}")
    return "\n".join(lines)

"""One EventBridge Scheduler invocation: role check, input, target call, dead-letter event.

Followed: EventBridge Scheduler User Guide, "Setting up the execution role" (Scheduler assumes the
target's RoleArn: the role must exist and trust `scheduler.amazonaws.com`; the role's permission
policy is not evaluated, IAM not being enforced by the emulator), "Adding context attributes"
(`<aws.scheduler.schedule-arn>`, `<aws.scheduler.scheduled-time>`, `<aws.scheduler.execution-id>`,
`<aws.scheduler.attempt-number>` replaced in the target's Input), "Templated targets" (Lambda
`Invoke` with `InvocationType=Event`, SQS `SendMessage` with SqsParameters.MessageGroupId, Step
Functions `StartExecution`) and "Configuring a dead-letter queue" (the failed event's Input as the
body, with the ERROR_CODE, ERROR_MESSAGE, EXECUTION_ID, EXHAUSTED_RETRY_CONDITION,
IS_PAYLOAD_TRUNCATED, RETRY_ATTEMPTS, SCHEDULED_TIME, SCHEDULE_ARN, TARGET_ARN and VERSION
attributes). `scheduled-time` is the wall-clock time of the firing (the time handlers compare
with their own clocks), not the emulated one. A target without Input receives `{}`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from localcloud import arns, clock
from localcloud.alarms.policy import allows

SERVICE = "scheduler.amazonaws.com"


class DeliveryFailed(Exception):
    """Scheduler could not invoke the target (`code` is the DLQ's ERROR_CODE)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass
class Firing:
    """One scheduled invocation and its attempts so far."""

    schedule_arn: str
    account: str
    target: dict[str, Any]
    scheduled_at: float  # emulated
    execution_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    attempts: int = 0
    retry_at: float = 0.0  # emulated

    def scheduled_time(self) -> str:
        return datetime.fromtimestamp(clock.real(self.scheduled_at), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

    def payload(self) -> str:
        text = self.target.get("Input") or "{}"
        for name, value in {"schedule-arn": self.schedule_arn, "scheduled-time": self.scheduled_time(),
                            "execution-id": self.execution_id, "attempt-number": str(self.attempts)}.items():
            text = text.replace(f"<aws.scheduler.{name}>", value)
        return str(text)


def check_role(role_arn: str, firing: Firing) -> None:
    """Raise `DeliveryFailed` unless `role_arn` exists and trusts the Scheduler."""
    from moto.iam.models import iam_backends

    parsed = arns.parse(role_arn) if arns.is_arn(role_arn) else None
    roles = iam_backends[parsed.account]["global"].roles if parsed else {}
    role = next((r for r in list(roles.values()) if r.arn == role_arn), None)
    context = {"aws:SourceAccount": firing.account, "aws:SourceArn": firing.schedule_arn}
    if role is None or not allows(role.assume_role_policy_document, SERVICE, "sts:AssumeRole", role_arn, context):
        raise DeliveryFailed("AWS.Scheduler.AccessDeniedException",
                             f"EventBridge Scheduler could not assume the role {role_arn}")


def invoke(firing: Firing) -> None:
    """One attempt: role, then the target's API call; raises `DeliveryFailed` or an AWS error."""
    target = firing.target
    check_role(str(target.get("RoleArn", "")), firing)
    arn = str(target["Arn"])
    parsed = arns.parse(arn)
    payload = firing.payload()
    if parsed.service == "lambda":
        from moto.awslambda.utils import get_backend as lambda_backend

        fn = lambda_backend(parsed.account, parsed.region).get_function(arn)
        fn.invoke(payload, {"x-amz-invocation-type": "Event"}, {})
    elif parsed.service == "sqs":
        from moto.sqs.models import sqs_backends

        group = (target.get("SqsParameters") or {}).get("MessageGroupId")
        sqs_backends[parsed.account][parsed.region].send_message(queue_name=parsed.resource, message_body=payload,
                                                                 group_id=group)
    elif parsed.service == "states":
        from moto.stepfunctions.responses import get_backend as sfn_backend

        sfn_backend(parsed.account, parsed.region).start_execution(
            state_machine_arn=arn, name=str(uuid.uuid4()), execution_input=payload)
    else:
        raise DeliveryFailed("AWS.Scheduler.UnsupportedTarget",
                             f"the emulator's Scheduler invokes Lambda, SQS and Step Functions targets, not {arn}")


def dead_letter(firing: Firing, error: BaseException, condition: str | None) -> bool:
    """Send the failed event to the target's DeadLetterConfig queue; False when it has none."""
    from moto.sqs.models import sqs_backends

    dlq = (firing.target.get("DeadLetterConfig") or {}).get("Arn")
    if not dlq:
        return False
    queue = arns.parse(dlq)
    values = {"ERROR_CODE": getattr(error, "code", type(error).__name__),
              "ERROR_MESSAGE": str(error)[:256] or type(error).__name__, "EXECUTION_ID": firing.execution_id,
              "IS_PAYLOAD_TRUNCATED": "false", "RETRY_ATTEMPTS": str(max(firing.attempts - 1, 0)),
              "SCHEDULED_TIME": firing.scheduled_time(), "SCHEDULE_ARN": firing.schedule_arn,
              "TARGET_ARN": str(firing.target["Arn"]), "VERSION": "1.0",
              **({"EXHAUSTED_RETRY_CONDITION": condition} if condition else {})}
    attributes = {k: {"DataType": "String", "StringValue": v} for k, v in values.items()}
    sqs_backends[queue.account][queue.region].send_message(queue_name=queue.resource, message_body=firing.payload(),
                                                           message_attributes=attributes)
    return True


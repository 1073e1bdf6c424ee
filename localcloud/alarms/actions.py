"""An alarm's SNS actions, delivered as CloudWatch delivers them (checks against moto's SNS and KMS).

CloudWatch publishes to a topic only if the topic's access policy allows the service principal
`cloudwatch.amazonaws.com` `sns:Publish` (the default topic policy does, for the owner's alarms:
`AWS:SourceOwner`), and, for a topic with `KmsMasterKeyId`, only if that key's policy allows
`cloudwatch.amazonaws.com` `kms:GenerateDataKey*` and `kms:Decrypt` (an AWS managed `alias/aws/sns`
key never does: SNS Developer Guide, "Enable compatibility between event sources from AWS services
and encrypted topics"). A failure is not retried: the alarm history gets an `Action` item "Failed to
execute action <arn>. Received error: ..." and a warning is logged. The message goes through moto's
SNS `publish` (subscribers, e.g. SQS with or without RawMessageDelivery, receive it).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from localcloud import arns
from localcloud.alarms import notify
from localcloud.alarms.policy import allows

LOG = logging.getLogger(__name__)
SERVICE = "cloudwatch.amazonaws.com"
KMS_ERROR = "CloudWatch Alarms does not have authorization to access the SNS topic encryption key."


class ActionFailed(Exception):
    """CloudWatch could not execute the action (its error text is the message)."""


@dataclass(frozen=True)
class Result:
    """Outcome of one action: the message id when published, else the error."""

    action: str
    message_id: str | None = None
    error: str | None = None


def _key_allows(account: str, region: str, key_id: str, context: dict[str, str]) -> bool:
    from moto.kms.models import kms_backends

    if key_id.removeprefix(f"arn:aws:kms:{region}:{account}:").startswith("alias/aws/"):
        return False  # AWS managed keys' policies cannot name CloudWatch
    backend = kms_backends[account][region]
    key = backend.keys.get(backend.any_id_to_key_id(key_id)) if key_id else None
    if key is None:
        return False
    return all(allows(key.policy, SERVICE, action, key.arn, context) for action in ("kms:GenerateDataKey", "kms:Decrypt"))


def _check(topic: Any, alarm: Any, account: str) -> None:
    context = {"aws:SourceArn": alarm.alarm_arn, "aws:SourceAccount": account, "aws:SourceOwner": account,
               "aws:SecureTransport": "true"}  # CloudWatch calls SNS over TLS
    if not allows(topic.policy, SERVICE, "sns:Publish", topic.arn, context):
        raise ActionFailed(f"Resource: {alarm.alarm_arn} is not authorized to perform: SNS:Publish on resource: "
                           f"{topic.arn}")
    parsed = arns.parse(topic.arn)
    if topic.kms_master_key_id and not _key_allows(parsed.account, parsed.region, topic.kms_master_key_id, context):
        raise ActionFailed(KMS_ERROR)


def publish(action: str, alarm: Any, account: str, change: notify.Change, period: int) -> Result:
    """Run one alarm action; never raises for what AWS reports as a failed action."""
    from moto.sns.models import sns_backends

    parsed = arns.parse(action)
    try:
        if parsed.service != "sns":
            raise ActionFailed(f"the emulator runs SNS alarm actions only, not {parsed.service}")
        backend = sns_backends[parsed.account][parsed.region]
        topic = backend.topics.get(action)
        if topic is None:
            raise ActionFailed(f"Topic does not exist: {action}")
        _check(topic, alarm, account)
        message_id = backend.publish(message=notify.message(alarm, account, change, period), arn=action,
                                     subject=notify.subject(alarm.name, change.new_state, alarm.region_name))
    except ActionFailed as error:
        LOG.warning("alarm %s: failed to execute action %s: %s", alarm.name, action, error)
        return Result(action, error=str(error))
    return Result(action, message_id=str(message_id))

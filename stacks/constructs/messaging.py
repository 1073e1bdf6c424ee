"""Encrypted, TLS-only SQS queues and SNS topics."""

from __future__ import annotations

from collections.abc import Sequence

from cdktf_cdktf_provider_aws.sns_topic import SnsTopic
from cdktf_cdktf_provider_aws.sns_topic_policy import SnsTopicPolicy
from cdktf_cdktf_provider_aws.sqs_queue import SqsQueue
from cdktf_cdktf_provider_aws.sqs_queue_policy import SqsQueuePolicy
from constructs import Construct

from stacks.constructs.policy import PolicyDocument, Statement, deny_insecure_transport

DLQ_RETENTION_SECONDS = 14 * 24 * 3600  # the SQS maximum: time to investigate and redrive
VISIBILITY_TIMEOUT_SECONDS = 30  # SQS's default, written out


class SecureQueue(Construct):
    """An SQS queue encrypted with the CMK and TLS-only (every queue of the pipeline is a dead-letter queue)."""

    def __init__(
        self, scope: Construct, id: str, *, name: str, kms_key_arn: str, retention_s: int = 4 * 24 * 3600,
        allow_send_from: Sequence[tuple[str, str]] = (),
    ) -> None:
        """`allow_send_from`: (service principal, source ARN) pairs that may send, e.g. a rule's DLQ."""
        super().__init__(scope, id)
        self.queue = SqsQueue(
            self, "queue", name=name, kms_master_key_id=kms_key_arn, kms_data_key_reuse_period_seconds=300,
            visibility_timeout_seconds=VISIBILITY_TIMEOUT_SECONDS, message_retention_seconds=retention_s,
        )
        self.arn = self.queue.arn
        self.url = self.queue.url
        self.name = self.queue.name
        statements = [deny_insecure_transport("sqs", [self.arn])]
        for index, (service, source_arn) in enumerate(allow_send_from):
            statements.append(Statement(
                sid=f"AllowSend{index}", actions=["sqs:SendMessage"], principals={"Service": service},
                resources=[self.arn], conditions={"ArnEquals": {"aws:SourceArn": source_arn}},
            ))
        SqsQueuePolicy(self, "policy", queue_url=self.url, policy=PolicyDocument(statements).to_json())


class SecureTopic(Construct):
    """An SNS topic encrypted with the CMK and TLS-only; `publisher_services` of this account may publish."""

    def __init__(
        self, scope: Construct, id: str, *, name: str, kms_key_arn: str, account_id: str,
        publisher_services: Sequence[str] = (),
    ) -> None:
        super().__init__(scope, id)
        self.topic = SnsTopic(self, "topic", name=name, kms_master_key_id=kms_key_arn)
        self.arn = self.topic.arn
        statements = [deny_insecure_transport("sns", [self.arn])]
        if publisher_services:
            statements.append(Statement(
                sid="ServicesPublish", actions=["sns:Publish"], principals={"Service": list(publisher_services)},
                resources=[self.arn], conditions={"StringEquals": {"aws:SourceAccount": account_id}},
            ))
        SnsTopicPolicy(self, "policy", arn=self.arn, policy=PolicyDocument(statements).to_json())

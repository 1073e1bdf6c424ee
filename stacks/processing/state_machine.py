"""The file state machine resource, its role, logs, and the S3 → EventBridge routing."""

from __future__ import annotations

import json

from cdktf_cdktf_provider_aws.cloudwatch_event_rule import CloudwatchEventRule
from cdktf_cdktf_provider_aws.cloudwatch_event_target import (
    CloudwatchEventTarget,
    CloudwatchEventTargetDeadLetterConfig,
    CloudwatchEventTargetRetryPolicy,
)
from cdktf_cdktf_provider_aws.cloudwatch_log_group import CloudwatchLogGroup
from cdktf_cdktf_provider_aws.iam_role import IamRole
from cdktf_cdktf_provider_aws.iam_role_policy import IamRolePolicy
from cdktf_cdktf_provider_aws.sfn_state_machine import (
    SfnStateMachine,
    SfnStateMachineLoggingConfiguration,
    SfnStateMachineTracingConfiguration,
)
from constructs import Construct

from stacks.config import WorkspaceConfig
from stacks.constructs.messaging import DLQ_RETENTION_SECONDS, SecureQueue
from stacks.constructs.policy import XRAY_REASON, PolicyDocument, Statement, assume_role_policy
from stacks.naming import Namer, Service
from txnpipe.layout import UPLOADS_PREFIX

LOG_DELIVERY_REASON = "CloudWatch Logs vended-log delivery APIs only accept Resource '*'"


def upload_event_pattern(bucket_name: str) -> str:
    """Object Created in the raw bucket under uploads/<partner>/, keys ending .csv or .json (lower case)."""
    keys = [{"wildcard": f"{UPLOADS_PREFIX}/*/*.{fmt}"} for fmt in ("csv", "json")]
    return json.dumps({
        "source": ["aws.s3"], "detail-type": ["Object Created"],
        "detail": {"bucket": {"name": [bucket_name]},
                   "object": {"key": keys}},
    })


class FileStateMachine(Construct):
    """Standard state machine with its own log group (no execution data) and X-Ray."""

    def __init__(
        self, scope: Construct, id: str, *, namer: Namer, config: WorkspaceConfig, account_id: str,
        definition: str, kms_key_arn: str, statements: list[Statement],
    ) -> None:
        super().__init__(scope, id)
        self.name = namer.name("files", Service.STATES)
        # Built from the name, not the resource: the role may start its own child executions
        # (Distributed Map) without a dependency cycle between role policy and state machine.
        self.arn = f"arn:aws:states:{config.region}:{account_id}:stateMachine:{self.name}"
        executions = f"arn:aws:states:{config.region}:{account_id}:execution:{self.name}/*"
        self.log_group = CloudwatchLogGroup(
            self, "logs", name=f"/aws/vendedlogs/states/{self.name}",
            retention_in_days=config.log_retention_days, kms_key_id=kms_key_arn,
        )
        role = IamRole(self, "role", name=namer.name("files-sfn", Service.IAM_ROLE),
                       assume_role_policy=assume_role_policy("states.amazonaws.com"))
        policy = IamRolePolicy(self, "policy", name="file-pipeline", role=role.id, policy=PolicyDocument([
            *statements,
            Statement(sid="RunChildExecutions", actions=["states:StartExecution"], resources=[self.arn]),
            Statement(sid="ManageChildExecutions", actions=["states:DescribeExecution", "states:StopExecution"],
                      resources=[executions]),
            Statement(sid="DeliverLogs", actions=[
                "logs:CreateLogDelivery", "logs:GetLogDelivery", "logs:UpdateLogDelivery", "logs:DeleteLogDelivery",
                "logs:ListLogDeliveries", "logs:PutResourcePolicy", "logs:DescribeResourcePolicies",
                "logs:DescribeLogGroups"], resources=["*"], reason=LOG_DELIVERY_REASON),
            Statement(sid="Trace", actions=["xray:PutTraceSegments", "xray:PutTelemetryRecords",
                                            "xray:GetSamplingRules", "xray:GetSamplingTargets"],
                      resources=["*"], reason=XRAY_REASON),
        ]).to_json())
        self.machine = SfnStateMachine(
            self, "machine", name=self.name, type="STANDARD", role_arn=role.arn, definition=definition,
            logging_configuration=SfnStateMachineLoggingConfiguration(
                log_destination=f"{self.log_group.arn}:*", include_execution_data=False, level="ALL"),
            tracing_configuration=SfnStateMachineTracingConfiguration(enabled=True),
            depends_on=[policy],
        )


class UploadRouting(Construct):
    """EventBridge rule (default bus) → state machine, with retries, a DLQ and its own role."""

    def __init__(
        self, scope: Construct, id: str, *, namer: Namer, raw_bucket: str, state_machine_arn: str,
        kms_key_arn: str, depends_on_machine: SfnStateMachine,
    ) -> None:
        super().__init__(scope, id)
        self.rule = CloudwatchEventRule(
            self, "rule", name=namer.name("file-uploaded", Service.EVENTS),
            description=f"Raw uploads under {UPLOADS_PREFIX}/<partner_id>/ ending .csv or .json",
            event_pattern=upload_event_pattern(raw_bucket),
        )
        self.dlq = SecureQueue(
            self, "dlq", name=namer.name("file-uploaded-dlq", Service.SQS), kms_key_arn=kms_key_arn,
            retention_s=DLQ_RETENTION_SECONDS, allow_send_from=[("events.amazonaws.com", self.rule.arn)],
        )
        role = IamRole(self, "role", name=namer.name("file-uploaded-rule", Service.IAM_ROLE),
                       assume_role_policy=assume_role_policy("events.amazonaws.com"))
        IamRolePolicy(self, "policy", name="start-file-pipeline", role=role.id, policy=PolicyDocument([
            Statement(sid="StartFilePipeline", actions=["states:StartExecution"], resources=[state_machine_arn]),
        ]).to_json())
        CloudwatchEventTarget(
            self, "target", rule=self.rule.name, arn=state_machine_arn, role_arn=role.arn, target_id="file-pipeline",
            retry_policy=CloudwatchEventTargetRetryPolicy(maximum_event_age_in_seconds=3600, maximum_retry_attempts=8),
            dead_letter_config=CloudwatchEventTargetDeadLetterConfig(arn=self.dlq.arn),
            depends_on=[depends_on_machine],
        )

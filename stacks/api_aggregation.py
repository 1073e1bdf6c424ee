"""Scheduled roll-up: EventBridge Scheduler invokes the aggregator every 5 minutes."""

from __future__ import annotations

from cdktf_cdktf_provider_aws.iam_role import IamRole
from cdktf_cdktf_provider_aws.iam_role_policy import IamRolePolicy
from cdktf_cdktf_provider_aws.lambda_function_event_invoke_config import (
    LambdaFunctionEventInvokeConfig,
    LambdaFunctionEventInvokeConfigDestinationConfig,
    LambdaFunctionEventInvokeConfigDestinationConfigOnFailure,
)
from cdktf_cdktf_provider_aws.scheduler_schedule import (
    SchedulerSchedule,
    SchedulerScheduleFlexibleTimeWindow,
    SchedulerScheduleTarget,
    SchedulerScheduleTargetDeadLetterConfig,
    SchedulerScheduleTargetRetryPolicy,
)
from constructs import Construct

from stacks.constructs.messaging import DLQ_RETENTION_SECONDS, SecureQueue
from stacks.constructs.policy import PolicyDocument, Statement, assume_role_policy
from stacks.constructs.python_function import PythonFunction
from stacks.naming import Namer, Service
from stacks.storage import StorageStack

SCHEDULE = "rate(5 minutes)"
AGGREGATES_PREFIX = "aggregates"
# The scheduled time identifies the window: a retried invocation recomputes the same one.
INPUT = '{"scheduled_time":"<aws.scheduler.scheduled-time>"}'


class AggregationSchedule(Construct):
    """Schedule + its invoke role + a DLQ for invocations that keep failing."""

    def __init__(
        self, scope: Construct, id: str, *, function: PythonFunction, storage: StorageStack, namer: Namer,
    ) -> None:
        super().__init__(scope, id)
        kms = storage.kms.arn
        function.grant(
            Statement(sid="ReadTransactions", actions=["dynamodb:Scan"], resources=[storage.transactions.arn]),
            Statement(sid="WriteAggregates", actions=["s3:GetObject", "s3:PutObject"],
                      resources=[f"{storage.processed.arn}/{AGGREGATES_PREFIX}/*"]),
            # Lets HEAD of a not-yet-written day answer 404 rather than 403.
            Statement(sid="ListAggregates", actions=["s3:ListBucket"], resources=[storage.processed.arn],
                      conditions={"StringLike": {"s3:prefix": [f"{AGGREGATES_PREFIX}/*"]}}),
            Statement(sid="UseDataKey", actions=["kms:Decrypt", "kms:GenerateDataKey"], resources=[kms]),
            name="aggregate",
        )
        self.dlq = SecureQueue(
            self, "dlq", name=namer.name("aggregate-dlq", Service.SQS), kms_key_arn=kms,
            retention_s=DLQ_RETENTION_SECONDS,
        )
        role = IamRole(
            self, "role", name=namer.name("aggregate-schedule", Service.IAM_ROLE),
            assume_role_policy=assume_role_policy("scheduler.amazonaws.com"),
        )
        IamRolePolicy(self, "role-policy", name="invoke", role=role.id, policy=PolicyDocument([
            Statement(sid="Invoke", actions=["lambda:InvokeFunction"], resources=[function.arn]),
            Statement(sid="DeadLetter", actions=["sqs:SendMessage"], resources=[self.dlq.arn]),
            Statement(sid="UseDataKey", actions=["kms:GenerateDataKey", "kms:Decrypt"], resources=[kms]),
        ]).to_json())
        self.schedule = SchedulerSchedule(
            self, "schedule", name=namer.name("aggregate", Service.EVENTS), schedule_expression=SCHEDULE,
            kms_key_arn=kms,
            flexible_time_window=SchedulerScheduleFlexibleTimeWindow(mode="OFF"),
            target=SchedulerScheduleTarget(
                arn=function.arn, role_arn=role.arn, input=INPUT,
                retry_policy=SchedulerScheduleTargetRetryPolicy(maximum_retry_attempts=2,
                                                                maximum_event_age_in_seconds=300),
                dead_letter_config=SchedulerScheduleTargetDeadLetterConfig(arn=self.dlq.arn),
            ),
        )
        # Scheduler invokes asynchronously: its DLQ only catches failed deliveries, so a run that
        # keeps failing inside the function goes to the same queue through Lambda's on-failure.
        LambdaFunctionEventInvokeConfig(
            self, "on-failure", function_name=function.name, maximum_retry_attempts=2,
            destination_config=LambdaFunctionEventInvokeConfigDestinationConfig(
                on_failure=LambdaFunctionEventInvokeConfigDestinationConfigOnFailure(destination=self.dlq.arn)),
        )
        function.grant(Statement(sid="FailedRuns", actions=["sqs:SendMessage"], resources=[self.dlq.arn]),
                       name="on-failure")

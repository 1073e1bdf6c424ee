"""A function run on a schedule by EventBridge Scheduler, with every failure path caught."""

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


def add_schedule(
    scope: Construct, *, function: PythonFunction, namer: Namer, purpose: str, expression: str,
    input_json: str, kms_key_arn: str,
) -> tuple[SchedulerSchedule, SecureQueue]:
    """Schedule (CMK-encrypted) + invoke role + DLQ for failed deliveries *and* failed runs.

    Children are created directly in `scope` (ids dlq, role, role-policy, schedule, on-failure).
    """
    dlq = SecureQueue(scope, "dlq", name=namer.name(f"{purpose}-dlq", Service.SQS), kms_key_arn=kms_key_arn,
                      retention_s=DLQ_RETENTION_SECONDS)
    role = IamRole(scope, "role", name=namer.name(f"{purpose}-schedule", Service.IAM_ROLE),
                   assume_role_policy=assume_role_policy("scheduler.amazonaws.com"))
    IamRolePolicy(scope, "role-policy", name="invoke", role=role.id, policy=PolicyDocument([
        Statement(sid="Invoke", actions=["lambda:InvokeFunction"], resources=[function.arn]),
        Statement(sid="DeadLetter", actions=["sqs:SendMessage"], resources=[dlq.arn]),
        Statement(sid="UseDataKey", actions=["kms:GenerateDataKey", "kms:Decrypt"], resources=[kms_key_arn]),
    ]).to_json())
    schedule = SchedulerSchedule(
        scope, "schedule", name=namer.name(purpose, Service.EVENTS), schedule_expression=expression,
        kms_key_arn=kms_key_arn, flexible_time_window=SchedulerScheduleFlexibleTimeWindow(mode="OFF"),
        target=SchedulerScheduleTarget(
            arn=function.arn, role_arn=role.arn, input=input_json,
            retry_policy=SchedulerScheduleTargetRetryPolicy(maximum_retry_attempts=2, maximum_event_age_in_seconds=300),
            dead_letter_config=SchedulerScheduleTargetDeadLetterConfig(arn=dlq.arn),
        ),
    )
    # Scheduler invokes asynchronously: its DLQ only catches failed deliveries, so a run that
    # keeps failing inside the function goes to the same queue through Lambda's on-failure.
    LambdaFunctionEventInvokeConfig(
        scope, "on-failure", function_name=function.name, maximum_retry_attempts=2,
        destination_config=LambdaFunctionEventInvokeConfigDestinationConfig(
            on_failure=LambdaFunctionEventInvokeConfigDestinationConfigOnFailure(destination=dlq.arn)),
    )
    function.grant(Statement(sid="FailedRuns", actions=["sqs:SendMessage"], resources=[dlq.arn]), name="on-failure")
    return schedule, dlq

"""Addition: the AWS services publish their CloudWatch metrics (Lambda, SQS, Step Functions, API Gateway).

AWS publishes metrics for every service the alarms watch; moto 5.2.5 publishes none, so no alarm
of the observability stack could ever see a datapoint. The emulator publishes them into moto's
CloudWatch backend, with AWS's names, namespaces, units and dimensions (each module of
`localcloud.metrics` cites its service's page):

* `AWS/Lambda` Invocations, Errors, Duration per invocation (`lambda_invocations`, called from
  `localcloud.patches.lambda_runtime.run`, which every invocation goes through);
* `AWS/SQS` queue depth and age of the oldest message, sampled each emulated minute
  (`sqs_sampler`, a background thread started here and stopped with the emulator);
* `AWS/States` ExecutionsStarted when an execution starts and its closing status and ExecutionTime
  when it closes (`stepfunctions_executions`, hooked below into moto's executing parser backend:
  `Execution.start` and the worker's `terminated` callback, which every closing status goes
  through: succeeded, failed, timed out, aborted by StopExecution);
* `AWS/ApiGateway` Count, 4XXError, 5XXError, Latency, IntegrationLatency per request a stage
  answered (`apigateway_requests`, called from `localcloud.patches.apigateway.handle`);
* `AWS/SNS` NumberOfMessagesPublished and PublishSize per message a topic accepted (`sns_topics`,
  hooked below into moto's `SNSBackend.publish`, which the Publish API and in-process publishers use).

Publishing never fails the work it describes: a fault is recorded (`localcloud.diagnostics`).
"""

from __future__ import annotations

from typing import Any

from localcloud import diagnostics
from localcloud.metrics import sns_topics, stepfunctions_executions
from localcloud.metrics.sqs_sampler import QueueSampler


def _publishing_start(original: Any) -> Any:
    from moto.stepfunctions.parser.backend.test_state.execution import TestStateExecution

    def start(self: Any) -> None:
        original(self)
        if isinstance(self, TestStateExecution):  # TestState runs one state, not an execution of the machine
            return
        with diagnostics.guarded("stepfunctions.metrics", str(self.exec_arn)):
            stepfunctions_executions.started(self)

    start._localcloud = True  # type: ignore[attr-defined]
    return start


def _publishing_terminated(original: Any) -> Any:
    def terminated(self: Any) -> None:
        original(self)
        with diagnostics.guarded("stepfunctions.metrics", str(self.execution.exec_arn)):
            stepfunctions_executions.closed(self.execution)

    terminated._localcloud = True  # type: ignore[attr-defined]
    return terminated


def _publishing_sns(original: Any) -> Any:
    def publish(self: Any, message: str, arn: str | None, *args: Any, **kwargs: Any) -> str:
        message_id = original(self, message, arn, *args, **kwargs)
        if arn and ":sns:" in arn and kwargs.get("phone_number") is None:  # a topic accepted it (not an SMS)
            with diagnostics.guarded("sns.metrics", arn):
                sns_topics.publish(arn, message)
        return str(message_id)

    publish._localcloud = True  # type: ignore[attr-defined]
    return publish


def install() -> QueueSampler:
    """Hook Step Functions executions and SNS topics; start and return the SQS sampler."""
    from moto.sns.models import SNSBackend
    from moto.stepfunctions.parser.backend.execution import BaseExecutionWorkerCommunication, Execution

    if not getattr(SNSBackend.publish, "_localcloud", False):
        SNSBackend.publish = _publishing_sns(SNSBackend.publish)  # type: ignore[method-assign]

    if not getattr(Execution.start, "_localcloud", False):
        Execution.start = _publishing_start(Execution.start)  # type: ignore[method-assign]
    if not getattr(BaseExecutionWorkerCommunication.terminated, "_localcloud", False):
        BaseExecutionWorkerCommunication.terminated = _publishing_terminated(  # type: ignore[method-assign]
            BaseExecutionWorkerCommunication.terminated)
    return QueueSampler().start()

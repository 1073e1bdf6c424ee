"""Anomaly detection on the transactions stream: consumer, failure queue, least-privilege grants."""

from __future__ import annotations

from cdktf_cdktf_provider_aws.lambda_event_source_mapping import (
    LambdaEventSourceMapping,
    LambdaEventSourceMappingDestinationConfig,
    LambdaEventSourceMappingDestinationConfigOnFailure,
    LambdaEventSourceMappingFilterCriteria,
    LambdaEventSourceMappingFilterCriteriaFilter,
)
from constructs import Construct

from stacks.constructs.messaging import DLQ_RETENTION_SECONDS, SecureQueue
from stacks.constructs.policy import Statement
from stacks.constructs.python_function import PythonFunction
from stacks.naming import Namer, Service
from stacks.storage.stack import StorageStack
from txnpipe.layout import ACCOUNT_INDEX

MAX_RETRIES = 3
MAX_RECORD_AGE_S = 3600


class AnomalyStream(Construct):
    """Feeds new transactions to `function`; a record that keeps failing lands in `dlq`."""

    def __init__(
        self, scope: Construct, id: str, *, function: PythonFunction, storage: StorageStack, namer: Namer,
    ) -> None:
        super().__init__(scope, id)
        kms = storage.kms.arn
        self.dlq = SecureQueue(
            self, "dlq", name=namer.name("anomaly-dlq", Service.SQS), kms_key_arn=kms,
            retention_s=DLQ_RETENTION_SECONDS,
        )
        stream_arn = storage.transactions.table.stream_arn
        table = storage.transactions.arn
        grants = function.grant(
            Statement(sid="ReadStream", actions=["dynamodb:DescribeStream", "dynamodb:GetRecords",
                                                 "dynamodb:GetShardIterator"], resources=[stream_arn]),
            Statement(sid="ListStreams", actions=["dynamodb:ListStreams"], resources=["*"],
                      reason="dynamodb:ListStreams has no resource-level permissions"),
            Statement(sid="QueryAccountWindow", actions=["dynamodb:Query"], resources=[f"{table}/index/{ACCOUNT_INDEX}"]),
            Statement(sid="AuditOnce", actions=["dynamodb:GetItem", "dynamodb:PutItem"], resources=[storage.audit.arn]),
            Statement(sid="Alert", actions=["sns:Publish"], resources=[storage.alerts.arn]),
            Statement(sid="FailedRecords", actions=["sqs:SendMessage"], resources=[self.dlq.arn]),
            Statement(sid="UseDataKey", actions=["kms:Decrypt", "kms:GenerateDataKey"], resources=[kms]),
            name="anomaly",
        )
        self.mapping = LambdaEventSourceMapping(
            self, "mapping", function_name=function.arn, event_source_arn=stream_arn,
            starting_position="TRIM_HORIZON", batch_size=100, maximum_batching_window_in_seconds=1,
            function_response_types=["ReportBatchItemFailures"], bisect_batch_on_function_error=True,
            maximum_retry_attempts=MAX_RETRIES, maximum_record_age_in_seconds=MAX_RECORD_AGE_S,
            destination_config=LambdaEventSourceMappingDestinationConfig(
                on_failure=LambdaEventSourceMappingDestinationConfigOnFailure(destination_arn=self.dlq.arn),
            ),
            # Only new transactions are evaluated; updates and deletes never reach the function.
            filter_criteria=LambdaEventSourceMappingFilterCriteria(filter=[
                LambdaEventSourceMappingFilterCriteriaFilter(pattern='{"eventName":["INSERT"]}'),
            ]),
            depends_on=[grants],
        )

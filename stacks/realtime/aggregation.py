"""Scheduled roll-up: EventBridge Scheduler invokes the aggregator every 5 minutes."""

from __future__ import annotations

from constructs import Construct

from stacks.constructs.policy import Statement
from stacks.constructs.python_function import PythonFunction
from stacks.constructs.schedule import add_schedule
from stacks.naming import Namer
from stacks.storage.stack import StorageStack
from txnpipe.layout import AGGREGATES_PREFIX, DAY_INDEX

SCHEDULE = "rate(5 minutes)"
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
            # Queries of the day index only: no Scan, and nothing of the table itself.
            Statement(sid="QueryDayIndex", actions=["dynamodb:Query"],
                      resources=[f"{storage.transactions.arn}/index/{DAY_INDEX}"]),
            Statement(sid="WriteAggregates", actions=["s3:GetObject", "s3:PutObject"],
                      resources=[f"{storage.processed.arn}/{AGGREGATES_PREFIX}/*"]),
            # Lets HEAD of a not-yet-written day answer 404 rather than 403.
            Statement(sid="ListAggregates", actions=["s3:ListBucket"], resources=[storage.processed.arn],
                      conditions={"StringLike": {"s3:prefix": [f"{AGGREGATES_PREFIX}/*"]}}),
            Statement(sid="UseDataKey", actions=["kms:Decrypt", "kms:GenerateDataKey"], resources=[kms]),
            name="aggregate",
        )
        self.schedule, self.dlq = add_schedule(
            self, function=function, namer=namer, purpose="aggregate", expression=SCHEDULE, input_json=INPUT,
            kms_key_arn=kms,
        )

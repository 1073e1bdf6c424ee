"""Scheduled every 5 minutes: publish `txnpipe/FilesOverdue` (files not terminal 15 min after upload).

Measured from the files table rather than Step Functions metrics: ExecutionTime only exists once
an execution ends, so a stuck file, or one whose execution never started, would never show.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from aws_lambda_powertools import Logger, Tracer
from aws_lambda_powertools.utilities.typing import LambdaContext
from boto3.dynamodb.conditions import Key

from txnpipe import clients
from txnpipe.errors import transient_errors
from txnpipe.function_environments import SlaMonitorEnvironment
from txnpipe.sla import OPEN_STATUSES, overdue

logger = Logger()
tracer = Tracer()
ENV = SlaMonitorEnvironment.from_environ()
METRIC = "FilesOverdue"


@tracer.capture_lambda_handler
@logger.inject_lambda_context
@transient_errors
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    """Count overdue files per open status and publish the total (0 included: no data is not OK)."""
    now = datetime.now(UTC)
    counts = {status.value: overdue(_received_at(status.value), now=now) for status in OPEN_STATUSES}
    total = sum(counts.values())
    clients.client("cloudwatch").put_metric_data(Namespace=ENV.metrics_namespace, MetricData=[{
        "MetricName": METRIC, "Value": total, "Unit": "Count",
        "Dimensions": [{"Name": "Workspace", "Value": ENV.workspace}]}])
    logger.info("SLA checked", extra={"overdue": total, "by_status": counts})
    return {"overdue": total, "by_status": counts}


def _received_at(status: str) -> list[str]:
    table = clients.table(ENV.files_table)
    args: dict[str, Any] = {"IndexName": ENV.status_index, "KeyConditionExpression": Key("status").eq(status),
                            "ProjectionExpression": "received_at"}
    stamps: list[str] = []
    while True:
        page = table.query(**args)
        stamps += [item["received_at"] for item in page["Items"] if "received_at" in item]
        if "LastEvaluatedKey" not in page:
            return stamps
        args["ExclusiveStartKey"] = page["LastEvaluatedKey"]

"""Transactions-table stream consumer: apply the anomaly rules, alert and audit each hit once.

Each record is processed on its own; a record that fails is reported in `batchItemFailures`
(the event source mapping bisects, retries a bounded number of times, then sends it to the
on-failure queue) without blocking the others. A hit is alerted once: the audit entry
(`transaction#<key>` / `anomaly#<rule>`) is checked before publishing and written after.
"""

from __future__ import annotations

import json
from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord, DynamoDBRecordEventName
from aws_lambda_powertools.utilities.typing import LambdaContext
from boto3.dynamodb.conditions import Key
from botocore.exceptions import ClientError

from txnpipe import clients
from txnpipe.anomaly.rules import Hit, Settings, StoredTransaction, evaluate, window_start
from txnpipe.function_environments import AnomalyDetectorEnvironment
from txnpipe.layout import ACCOUNT_INDEX
from txnpipe.timeutil import utc_now

logger = Logger()
tracer = Tracer()
metrics = Metrics()  # AnomaliesDetected feeds the dashboard
processor = BatchProcessor(event_type=EventType.DynamoDBStreams)
ENV = AnomalyDetectorEnvironment.from_environ()
SETTINGS = Settings()


def _window(txn: StoredTransaction) -> list[tuple[str, str]]:
    """(timestamp_utc, transaction_key) of the account's transactions in the two windows before `txn`."""
    query: dict[str, Any] = {
        "IndexName": ACCOUNT_INDEX, "ProjectionExpression": "transaction_key, timestamp_utc",
        "KeyConditionExpression": Key("account_key").eq(txn.account_key)
        & Key("timestamp_utc").between(window_start(txn, SETTINGS, windows=2), txn.timestamp_utc),
    }
    table = clients.table(ENV.transactions_table)
    out: list[tuple[str, str]] = []
    while True:
        page = table.query(**query)
        out.extend((str(i["timestamp_utc"]), str(i["transaction_key"])) for i in page["Items"])
        if "LastEvaluatedKey" not in page:
            return out
        query["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def _alert(hit: Hit) -> None:
    audit = clients.table(ENV.audit_table)
    key = {"entity_id": f"transaction#{hit.transaction_key}", "event_key": f"anomaly#{hit.rule}"}
    if audit.get_item(Key=key, ConsistentRead=True).get("Item"):
        return  # alerted by an earlier delivery of this record
    message = {"rule": hit.rule, "summary": hit.summary, "transaction_key": hit.transaction_key,
               "account_key": hit.account_key, "partner_id": hit.partner_id, "evidence": hit.evidence}
    clients.client("sns").publish(
        TopicArn=ENV.alert_topic_arn, Subject=f"txnpipe anomaly: {hit.rule}",
        Message=json.dumps(message, sort_keys=True),
        MessageAttributes={"rule": {"DataType": "String", "StringValue": hit.rule}},
    )
    metrics.add_metric(name="AnomaliesDetected", unit=MetricUnit.Count, value=1)
    at = utc_now()
    try:
        audit.put_item(
            Item={**key, "event": "AnomalyDetected", "at": at, "rule": hit.rule, "summary": hit.summary,
                  "partner_id": hit.partner_id, "account_key": hit.account_key, "evidence": dict(hit.evidence)},
            ConditionExpression="attribute_not_exists(entity_id)",  # append-only
        )
    except ClientError as error:
        if error.response["Error"]["Code"] != "ConditionalCheckFailedException":
            raise


def record_handler(record: DynamoDBRecord) -> None:
    """Evaluate one new transaction; raises (→ batch item failure) when the record is malformed."""
    if record.event_name is not DynamoDBRecordEventName.INSERT:
        return
    stream = record.dynamodb
    if stream is None:
        raise ValueError(f"record {record.event_id}: no dynamodb section")
    txn = StoredTransaction.from_item(stream.new_image)
    for hit in evaluate(txn, _window(txn), SETTINGS):
        logger.info("anomaly", extra={"rule": hit.rule, "transaction_key": hit.transaction_key})
        _alert(hit)


@tracer.capture_lambda_handler
@logger.inject_lambda_context
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    """Process the batch; answer with the records that failed."""
    response = process_partial_response(event=event, record_handler=record_handler, processor=processor, context=context)
    return dict(response)

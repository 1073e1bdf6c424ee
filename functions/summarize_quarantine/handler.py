"""Audit the rejected rows of a file: one entry with the count per field and sample reasons."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from aws_lambda_powertools import Logger, Tracer
from aws_lambda_powertools.utilities.typing import LambdaContext

from txnpipe import audit, clients
from txnpipe.errors import transient_errors
from txnpipe.function_environments import SummarizeQuarantineEnvironment
from txnpipe.timeutil import utc_now

logger = Logger()
tracer = Tracer()
ENV = SummarizeQuarantineEnvironment.from_environ()
SAMPLES = 5


@tracer.capture_lambda_handler
@logger.inject_lambda_context
@transient_errors
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    """Input `{file_id, quarantine_bucket, quarantine_key}`; output the per-field counts."""
    body = clients.client("s3").get_object(Bucket=event["quarantine_bucket"], Key=event["quarantine_key"])["Body"]
    by_field: Counter[str] = Counter()
    samples: list[dict[str, Any]] = []
    for line in body.iter_lines():
        entry = json.loads(line)
        by_field[entry["reason"].split(":", 1)[0]] += 1
        if len(samples) < SAMPLES:
            samples.append({"row": entry["row"], "reason": entry["reason"]})
    summary = {"rows_rejected": sum(by_field.values()), "by_field": dict(sorted(by_field.items()))}
    audit.append(ENV.audit_table, entity_id=f"file#{event['file_id']}", at=utc_now(),
                 event="RowsQuarantined", details={**summary, "samples": samples,
                                                   "object": f"s3://{event['quarantine_bucket']}/{event['quarantine_key']}"})
    return summary

"""Large files: plan row-aligned byte-range chunks and write the manifest the Distributed Map reads."""

from __future__ import annotations

import json
from typing import Any

from aws_lambda_powertools import Logger, Tracer
from aws_lambda_powertools.utilities.typing import LambdaContext

from txnpipe import clients
from txnpipe.domain.chunks import Chunk, plan_chunks
from txnpipe.errors import transient_errors
from txnpipe.function_environments import PlanChunksEnvironment
from txnpipe.layout import chunk_plan_key

logger = Logger()
tracer = Tracer()
ENV = PlanChunksEnvironment.from_environ()


@tracer.capture_lambda_handler
@logger.inject_lambda_context
@transient_errors
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    """Input: the file descriptor. JSON files are one chunk (an array cannot be split safely)."""
    s3 = clients.client("s3")
    args = {"Bucket": event["bucket"], "Key": event["key"], **({"VersionId": event["version_id"]}
                                                              if event.get("version_id") else {})}
    if event["format"] == "csv":
        plan = plan_chunks(s3.get_object(**args)["Body"], ENV.chunk_bytes)
        header, chunks = plan.header, plan.chunks or [Chunk(0, int(event["size"]), 1)]
    else:
        header, chunks = b"", [Chunk(0, int(event["size"]), 1)]
    # A header that is not UTF-8 is carried as-is (surrogateescape) so validation rejects the file.
    items = [{"index": i, "start": c.start, "end": c.end, "first_row": c.first_row,
              "header": header.decode("utf-8", errors="surrogateescape")} for i, c in enumerate(chunks)]
    key = chunk_plan_key(event["file_id"])
    s3.put_object(Bucket=ENV.work_bucket, Key=key, Body=json.dumps(items).encode())
    logger.info("chunks planned", extra={"file_id": event["file_id"], "chunks": len(items)})
    return {"manifest_key": key, "chunks": len(items)}

"""First task: register an uploaded object version as a file (status RECEIVED), exactly once.

Input is the EventBridge "Object Created" event. A repeated event for the same object
version maps to the same file id; the conditional put makes it `duplicate: true`. An operator's
reprocess request (txnpipe.reprocess) instead moves a terminal file back to RECEIVED and audits who
asked and when; a file still being processed is refused.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger, Tracer
from aws_lambda_powertools.utilities.typing import LambdaContext
from botocore.exceptions import ClientError

from txnpipe import audit, clients
from txnpipe.domain.version import CONTRACT_VERSION
from txnpipe.errors import transient_errors
from txnpipe.function_environments import RegisterFileEnvironment
from txnpipe.reprocess import AUDIT_EVENT, Reprocess
from txnpipe.status import TERMINAL, TransitionError
from txnpipe.timeutil import utc_now
from txnpipe.uploads import file_id_for, parse_upload_key

logger = Logger()
tracer = Tracer()
ENV = RegisterFileEnvironment.from_environ()


@tracer.capture_lambda_handler
@logger.inject_lambda_context
@transient_errors
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    """Return the file descriptor the rest of the state machine works on."""
    detail = event["detail"]
    bucket, key = detail["bucket"]["name"], detail["object"]["key"]
    version_id = detail["object"].get("version-id")
    upload = parse_upload_key(key)
    file = {
        "file_id": file_id_for(bucket, key, version_id), "bucket": bucket, "key": key,
        "version_id": version_id, "partner_id": upload.partner_id, "format": upload.format,
        "size": int(detail["object"].get("size", 0)),
        "large": int(detail["object"].get("size", 0)) > ENV.large_file_bytes,
    }
    request = Reprocess.from_event(event)
    file["duplicate"] = False if request else not _register(file, upload.upload_ref)
    if request:
        _reprocess(file, request)
    logger.info("file registered", extra={k: file[k] for k in ("file_id", "key", "duplicate")})
    return file


def _register(file: dict[str, Any], upload_ref: str) -> bool:
    now = utc_now()
    item = {"file_id": file["file_id"], "bucket": file["bucket"], "status": "RECEIVED", "updated_at": now, "received_at": now,
            "status_history": {"RECEIVED": now}, "partner_id": file["partner_id"], "upload_ref": upload_ref,
            "object_key": file["key"], "version_id": file["version_id"] or "null", "format": file["format"],
            "size_bytes": file["size"], "contract_version": CONTRACT_VERSION}
    try:
        clients.table(ENV.files_table).put_item(Item=item, ConditionExpression="attribute_not_exists(file_id)")
    except ClientError as error:
        if error.response["Error"]["Code"] == "ConditionalCheckFailedException":
            return False
        raise
    audit.append(ENV.audit_table, entity_id=f"file#{file['file_id']}", at=now, event="FileStatusChanged",
                 status="RECEIVED", details={"object_key": file["key"], "version_id": item["version_id"]})
    return True


def _reprocess(file: dict[str, Any], request: Reprocess) -> None:
    now = utc_now()
    terminal = sorted(s.value for s in TERMINAL)
    try:
        old = clients.table(ENV.files_table).update_item(
            Key={"file_id": file["file_id"]}, ReturnValues="ALL_OLD",
            UpdateExpression="SET #s = :r, updated_at = :t, status_history = :h, reprocessed_by = :by, "
                             "reprocessed_at = :t, reprocess_count = if_not_exists(reprocess_count, :zero) + :one "
                             # The previous run's failure reason and load counts do not describe this run.
                             "REMOVE reason, rows_stored, rows_replayed, rows_conflicting, loaded_parts, "
                             "conflicts_prefix",
            ConditionExpression=f"#s IN ({', '.join(f':p{i}' for i in range(len(terminal)))})",
            ExpressionAttributeNames={"#s": "status"},
            ExpressionAttributeValues={":r": "RECEIVED", ":t": now, ":h": {"RECEIVED": now}, ":by": request.by,
                                       ":zero": 0, ":one": 1, **{f":p{i}": p for i, p in enumerate(terminal)}},
        )["Attributes"]
    except ClientError as error:
        if error.response["Error"]["Code"] == "ConditionalCheckFailedException":
            raise TransitionError(f"reprocess: file {file['file_id']} is unknown or still being processed "
                                  "(only a terminal file is run again)") from None
        raise
    audit.append(ENV.audit_table, entity_id=f"file#{file['file_id']}", at=now, event=AUDIT_EVENT,
                 status="RECEIVED", details={"by": request.by, "requested_at": request.at,
                                             "previous_status": str(old["status"])})

"""Step Functions task: move a file to a new status and append the change to the audit trail.

Input: `{"file_id": ..., "status": ..., "reason"?: str, "details"?: {...}}`; the update is
conditional on the file's current status, so a replayed or out-of-order change is refused. A file
asked to be `COMPLETED` whose load set conflicting rows aside (`rows_conflicting` > 0, counted by
load_transactions) is recorded `COMPLETED_WITH_ERRORS`, and the answer says which was recorded.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger, Tracer
from aws_lambda_powertools.utilities.typing import LambdaContext
from botocore.exceptions import ClientError

from txnpipe import audit, clients
from txnpipe.domain.version import CONTRACT_VERSION
from txnpipe.errors import transient_errors
from txnpipe.function_environments import FileStatusEnvironment
from txnpipe.status import PREDECESSORS, FileStatus, TransitionError, parse_status
from txnpipe.timeutil import utc_now

logger = Logger()
tracer = Tracer()
ENV = FileStatusEnvironment.from_environ()


@tracer.capture_lambda_handler
@logger.inject_lambda_context
@transient_errors
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    """Apply one status change; return it with its timestamp."""
    file_id = _required(event, "file_id")
    new = parse_status(_required(event, "status"))
    now = utc_now()
    details = event.get("details") or {}
    new = _update_file(file_id, new, now, event.get("reason"), details)
    _audit(file_id, new, now, event.get("reason"), details)
    logger.info("file status changed", extra={"file_id": file_id, "status": new.value})
    return {"file_id": file_id, "status": new.value, "updated_at": now}


def _required(event: dict[str, Any], key: str) -> str:
    value = event.get(key)
    if not isinstance(value, str) or not value:
        raise ValueError(f"{key}: required non-empty string, got {value!r}")
    return value


# Conditions on the load's count of conflicting rows, for a file asked to be COMPLETED.
NO_CONFLICTS = "(attribute_not_exists(rows_conflicting) OR rows_conflicting = :zero)"
HAS_CONFLICTS = "rows_conflicting > :zero"


def _update_file(file_id: str, new: FileStatus, now: str, reason: object, details: dict[str, Any]) -> FileStatus:
    """Record the change; return the status recorded."""
    if new is not FileStatus.COMPLETED:
        _set_status(file_id, new, now, reason, details, None)
        return new
    try:
        _set_status(file_id, new, now, reason, details, NO_CONFLICTS)
        return new
    except TransitionError as refused:
        try:
            _set_status(file_id, FileStatus.COMPLETED_WITH_ERRORS, now, reason, details, HAS_CONFLICTS)
        except TransitionError:
            raise refused from None
        return FileStatus.COMPLETED_WITH_ERRORS


def _set_status(file_id: str, new: FileStatus, now: str, reason: object, details: dict[str, Any],
                counts: str | None) -> None:
    allowed = sorted(s.value for s in PREDECESSORS[new])
    names = {"#s": "status"}
    values: dict[str, Any] = {":s": new.value, ":t": now, ":v": CONTRACT_VERSION,
                              **{f":p{i}": p for i, p in enumerate(allowed)}}
    history = "status_history = :h" if new is FileStatus.RECEIVED else f"status_history.{new.value} = :t"
    # The contract version of the code that made this change (validation runs just before the next one).
    sets = ["#s = :s", "updated_at = :t", history, "contract_version = :v"]
    if new is FileStatus.RECEIVED:
        values[":h"] = {new.value: now}
    for i, (key, value) in enumerate(sorted({**details, **({"reason": reason} if reason else {})}.items())):
        names[f"#d{i}"] = key
        values[f":d{i}"] = value
        sets.append(f"#d{i} = :d{i}")
    condition = f"#s IN ({', '.join(f':p{i}' for i in range(len(allowed)))})" if allowed else "attribute_not_exists(file_id)"
    if counts:
        condition, values[":zero"] = f"{condition} AND {counts}", 0
    try:
        clients.table(ENV.files_table).update_item(
            Key={"file_id": file_id}, UpdateExpression="SET " + ", ".join(sets),
            ConditionExpression=condition, ExpressionAttributeNames=names, ExpressionAttributeValues=values,
        )
    except ClientError as error:
        if error.response["Error"]["Code"] == "ConditionalCheckFailedException":
            raise TransitionError(f"status: file {file_id} may not move to {new.value} from its current status") from None
        raise


def _audit(file_id: str, new: FileStatus, now: str, reason: object, details: dict[str, Any]) -> None:
    extra = {"reason": str(reason)} if reason else {}
    audit.append(ENV.audit_table, entity_id=f"file#{file_id}", at=now, event="FileStatusChanged",
                 status=new.value, details=details, **extra)

"""GET /files/{file_id} and GET /transactions/{transaction_id}: the caller's own records only.

Another partner's record is answered exactly like an unknown one (404), so ids do not leak. So is
an id that cannot name a record (a transaction id the contract refuses, a file id longer than any
S3 key): it is not looked up, since DynamoDB refuses keys over its size limits with a 400.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import cache
from typing import Any

from aws_lambda_powertools import Logger, Tracer
from aws_lambda_powertools.utilities.typing import LambdaContext
from boto3.dynamodb.conditions import Key

from txnpipe import clients
from txnpipe.api import routes
from txnpipe.api.http import HttpError, path_parameter, respond
from txnpipe.api.keys import transaction_key
from txnpipe.api.partners import parse_partner_keys, partner_of
from txnpipe.api.views import file_view, owned_by, transaction_view
from txnpipe.domain.rules import check_identifier
from txnpipe.function_environments import ApiStatusEnvironment

MAX_S3_KEY_BYTES = 1024  # S3 object keys (and so upload refs and file ids) are at most 1024 bytes of UTF-8
logger = Logger()
tracer = Tracer()
ENV = ApiStatusEnvironment.from_environ()


@cache
def _partner_keys() -> dict[str, str]:
    return parse_partner_keys(ENV.partner_keys)


def _file(partner_id: str, event: Mapping[str, Any]) -> dict[str, Any]:
    file_id = path_parameter(event, "file_id")
    if len(file_id.encode("utf-8")) > MAX_S3_KEY_BYTES:
        raise HttpError(404, "file not found")
    item = clients.table(ENV.files_table).get_item(Key={"file_id": file_id}).get("Item")
    if item is None:  # an id handed out by POST /uploads names the upload: its newest version
        item = _newest_upload(f"{partner_id}/{file_id}")
    if not owned_by(item, partner_id):
        raise HttpError(404, "file not found")
    return file_view(item)


def _newest_upload(upload_ref: str) -> dict[str, Any] | None:
    found = clients.table(ENV.files_table).query(
        IndexName=ENV.files_upload_index, KeyConditionExpression=Key("upload_ref").eq(upload_ref),
        ScanIndexForward=False, Limit=1)["Items"]
    return found[0] if found else None


def _transaction(partner_id: str, event: Mapping[str, Any]) -> dict[str, Any]:
    transaction_id = path_parameter(event, "transaction_id")
    if check_identifier({"transaction_id": transaction_id}, "transaction_id") is not None:
        raise HttpError(404, "transaction not found")
    key = transaction_key(partner_id, transaction_id)
    item = clients.table(ENV.transactions_table).get_item(Key={"transaction_key": key}).get("Item")
    if not owned_by(item, partner_id):
        raise HttpError(404, "transaction not found")
    return transaction_view(item)


ROUTES: dict[str, Callable[[str, Mapping[str, Any]], dict[str, Any]]] = {
    routes.FILE: _file,
    routes.TRANSACTION: _transaction,
}


@tracer.capture_lambda_handler
@logger.inject_lambda_context
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    """Route on the API Gateway resource path; 200 with the view, 404 when not the caller's."""
    try:
        partner_id = partner_of(event, _partner_keys())
        route = ROUTES.get(str(event.get("resource")))
        if route is None or event.get("httpMethod") != "GET":
            raise HttpError(404, "not found")
        return respond(200, route(partner_id, event))
    except HttpError as error:
        return error.response(event)

"""POST /uploads: a short-lived presigned PUT for `uploads/<partner_id>/<file_id>.<csv|json>`.

The URL is SigV4-signed over the SSE-KMS headers, so a PUT without them (or to another key)
fails signature validation; the raw bucket's policy refuses unencrypted uploads as well.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import boto3
from aws_lambda_powertools import Logger, Tracer
from aws_lambda_powertools.utilities.typing import LambdaContext
from botocore.config import Config

from txnpipe.api.http import HttpError, respond
from txnpipe.api.partners import parse_partner_keys, partner_of
from txnpipe.api.uploads import EXPIRES_IN_S, MAX_BODY_BYTES, requested_format, upload_target
from txnpipe.function_environments import ApiUploadsEnvironment

logger = Logger()
tracer = Tracer()
ENV = ApiUploadsEnvironment.from_environ()


@cache
def _partner_keys() -> dict[str, str]:
    return parse_partner_keys(ENV.partner_keys)


@cache
def signer() -> Any:
    """S3 client that presigns with SigV4 (botocore may otherwise pick SigV2 for us-east-1)."""
    return boto3.client("s3", config=Config(signature_version="s3v4"))


def _body(event: dict[str, Any]) -> bytes | None:
    raw = event.get("body")
    if raw is None or raw == "":
        return None
    data = str(raw).encode("utf-8")
    if len(data) > MAX_BODY_BYTES:
        raise HttpError(413, "request body too large", (f"body: larger than {MAX_BODY_BYTES} bytes",))
    return data


@tracer.capture_lambda_handler
@logger.inject_lambda_context
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    """201 with the URL, the headers to send, the file id to poll and the expiry."""
    try:
        partner_id = partner_of(event, _partner_keys())
        fmt = requested_format(_body(event))
    except HttpError as error:
        return error.response(event)
    target = upload_target(partner_id, fmt, ENV.kms_key_arn)
    url = signer().generate_presigned_url(
        "put_object", ExpiresIn=EXPIRES_IN_S, HttpMethod="PUT",
        Params={"Bucket": ENV.raw_bucket, "Key": target.key, "ServerSideEncryption": "aws:kms",
                "SSEKMSKeyId": target.headers["x-amz-server-side-encryption-aws-kms-key-id"]},
    )
    logger.info("upload url issued", extra={"partner_id": partner_id, "file_id": target.file_id})
    return respond(201, {
        "file_id": target.file_id, "key": target.key, "upload_url": url, "method": "PUT",
        "headers": dict(target.headers), "expires_in": EXPIRES_IN_S, "status_url": f"/files/{target.file_id}",
    })

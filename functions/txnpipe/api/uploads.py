"""POST /uploads: choose the object key and the headers a presigned PUT must carry."""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass

from txnpipe.api.http import HttpError
from txnpipe.domain import loads_json
from txnpipe.layout import UPLOADS_PREFIX

FORMATS = ("csv", "json")
EXPIRES_IN_S = 300  # long enough to start an upload, short enough that a leaked URL soon dies
MAX_BODY_BYTES = 1024
_FILE_ID = re.compile(r"[0-9a-f]{32}")


@dataclass(frozen=True)
class UploadTarget:
    """Where the partner's file goes and what the PUT must send."""

    file_id: str
    key: str
    headers: Mapping[str, str]


def requested_format(body: bytes | None) -> str:
    """`{"format": "csv"|"json"}` (default csv); 400 for anything else."""
    if not body:
        return "csv"
    try:
        value = loads_json(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise HttpError(400, "invalid request", ("body: not valid JSON",)) from None
    if not isinstance(value, dict):
        raise HttpError(400, "invalid request", ("body: must be a JSON object",))
    fmt = value.get("format", "csv")
    if fmt not in FORMATS:
        raise HttpError(400, "invalid request", ("format: must be csv or json",))
    return str(fmt)


def upload_target(partner_id: str, fmt: str, kms_key_arn: str, *, file_id: str | None = None) -> UploadTarget:
    """A fresh file id (unguessable) and the key `uploads/<partner_id>/<file_id>.<fmt>`."""
    file_id = file_id or uuid.uuid4().hex
    if not _FILE_ID.fullmatch(file_id):
        raise ValueError(f"file id {file_id!r} is not 32 hex digits")
    headers = {"x-amz-server-side-encryption": "aws:kms", "x-amz-server-side-encryption-aws-kms-key-id": kms_key_arn}
    return UploadTarget(file_id=file_id, key=f"{UPLOADS_PREFIX}/{partner_id}/{file_id}.{fmt}", headers=headers)

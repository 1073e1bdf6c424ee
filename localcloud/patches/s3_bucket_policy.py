"""Addition: bucket policy conditions are evaluated with IAM semantics against each request's context.

moto 5.2.5 (`FakeBucket.get_permission`) knows only `StringEquals`, counts every other operator as
met and a missing key as met, so a `Deny` with `{"Bool": {"aws:SecureTransport": "false"}}` denied
everything and the raw bucket's `StringNotEquals` encryption denies never fired. The conditions are
evaluated by `iam_conditions` (IAM User Guide, "Condition operators") against a context built from
the request being served (moto's server is Flask: `flask.request`), with the keys the S3 User Guide
("Actions, resources, and condition keys for Amazon S3", "Bucket policy examples using condition
keys") defines:

* `s3:x-amz-server-side-encryption`, `s3:x-amz-server-side-encryption-aws-kms-key-id`: the request's
  headers (PutObject, CopyObject, CreateMultipartUpload). UploadPart, UploadPartCopy and
  CompleteMultipartUpload carry no SSE headers (S3 refuses them there, except SSE-C); the object's
  encryption is the one chosen at CreateMultipartUpload, and that is what their context holds here.
  So `aws s3 cp --sse aws:kms --sse-kms-key-id <arn>` and boto3 `upload_file` with the SSE
  ExtraArgs pass, above the multipart threshold too, while an upload created without the headers
  is refused at CreateMultipartUpload. (AWS does not document the UploadPart context key by key;
  headers that are not part of the upload's stored settings, like `x-amz-acl`, are absent from
  UploadPart's context: aws/aws-cli#1674, boto/boto3#2525.)
* all of CreateMultipartUpload, UploadPart(Copy) and CompleteMultipartUpload are authorized as
  `s3:PutObject` (moto asks for `s3:PostObject` for the POSTs); AbortMultipartUpload as
  `s3:AbortMultipartUpload`, ListParts as `s3:ListMultipartUploadParts`, HeadObject as `s3:GetObject`.
* `aws:PrincipalArn` / `aws:PrincipalAccount` from the signing access key (`s3_request.signer_for`),
  `s3:authType` (`REST-HEADER` | `REST-QUERY-STRING`), `s3:signatureversion` (`AWS4-HMAC-SHA256` | `AWS`),
  `aws:SourceIp`, `aws:CurrentTime`, `aws:EpochTime`.
* `aws:SecureTransport=true`, `s3:TlsVersion=1.3`: the emulator listens on plain HTTP on loopback
  only; requests count as TLS so that what the policy means for HTTPS clients is what it means here.

A denied object request answers 403 `AccessDenied` in S3's XML error shape (moto sent an empty 403).
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from typing import Any

from localcloud.patches.iam_conditions import Context, conditions_met
from localcloud.patches.s3_request import auth_of, signer_for

SSE = "x-amz-server-side-encryption"
SSE_KEY = "x-amz-server-side-encryption-aws-kms-key-id"
TLS_CONTEXT = {"aws:SecureTransport": "true", "s3:TlsVersion": "1.3"}
_UPLOAD_ACTIONS = {"PUT": "s3:PutObject", "POST": "s3:PutObject", "DELETE": "s3:AbortMultipartUpload",
                   "GET": "s3:ListMultipartUploadParts"}


def s3_action(method: str, query: dict[str, str], default: str) -> str:
    """The IAM action S3 authorizes an object request as."""
    if "uploadId" in query:
        return _UPLOAD_ACTIONS.get(method, default)
    if method == "POST" and "uploads" in query:
        return "s3:PutObject"
    if method == "HEAD":
        return "s3:GetObject"
    return default


def encryption_context(method: str, query: dict[str, str], headers: Any, bucket: Any) -> dict[str, str]:
    """The SSE condition keys: the request's headers, or for a multipart part/complete the upload's."""
    if "uploadId" in query and method in ("PUT", "POST"):
        upload = bucket.multiparts.get(query["uploadId"])
        values = (upload.sse_encryption, upload.kms_key_id) if upload is not None else (None, None)
    else:
        values = (headers.get(SSE), headers.get(SSE_KEY))
    return {f"s3:{name}": value for name, value in zip((SSE, SSE_KEY), values, strict=True) if value}


def request_context(request: Any, bucket: Any) -> dict[str, str | list[str]]:
    """Everything the emulator knows about the request being served, as IAM condition keys."""
    query = {k: v for k, v in request.args.items()}
    auth = auth_of(request.headers, query)
    now = time.time()
    context: dict[str, str | list[str]] = {
        **TLS_CONTEXT, "aws:SourceIp": request.remote_addr or "127.0.0.1", "aws:EpochTime": str(int(now)),
        "aws:CurrentTime": datetime.fromtimestamp(now, UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    if auth is not None:
        auth_type, version, access_key_id = auth
        signer = signer_for(access_key_id)
        context.update({"s3:authType": auth_type, "s3:signatureversion": version,
                        "aws:PrincipalArn": signer.principal_arn, "aws:PrincipalAccount": signer.account})
    context.update(encryption_context(request.method.upper(), query, request.headers, bucket))
    return context


def _statements(policy: bytes) -> list[dict[str, Any]]:
    statements = json.loads(policy.decode())["Statement"]
    return statements if isinstance(statements, list) else [statements]


def evaluate(policy: bytes, action: str, resource: str, context: Context) -> Any:
    """DENIED / PERMITTED / NEUTRAL of a bucket policy for one action on one resource."""
    from moto.iam.access_control import IAMPolicyStatement, PermissionResult

    permitted = False
    for statement in _statements(policy):
        if "Condition" in statement:
            if not conditions_met(statement["Condition"], context):
                continue
            statement = {k: v for k, v in statement.items() if k != "Condition"}
        result = IAMPolicyStatement(statement).is_action_permitted(action, resource)
        if result == PermissionResult.DENIED:
            return result
        permitted = permitted or result == PermissionResult.PERMITTED
    return PermissionResult.PERMITTED if permitted else PermissionResult.NEUTRAL


def _get_permission(self: Any, action: str, resource: str) -> Any:
    from flask import has_request_context, request
    from moto.iam.access_control import PermissionResult

    if self.policy is None:
        return PermissionResult.NEUTRAL
    if not has_request_context():  # in-process calls (no HTTP request): only the transport keys
        return evaluate(self.policy, action, resource, TLS_CONTEXT)
    query = {k: v for k, v in request.args.items()}
    return evaluate(self.policy, s3_action(request.method.upper(), query, action), resource,
                    request_context(request, self))


def install() -> None:
    """Evaluate bucket policies per request; answer a denied object request with S3's AccessDenied."""
    from moto.s3.exceptions import S3AccessDeniedError
    from moto.s3.models import FakeBucket
    from moto.s3.responses import S3Response

    FakeBucket.get_permission = _get_permission  # type: ignore[method-assign]
    original = getattr(S3Response._key_response, "__wrapped__", S3Response._key_response)

    def _key_response(self: Any, request: Any, full_url: str) -> Any:
        response = original(self, request, full_url)
        if response == (403, {}, ""):  # moto's answer to a bucket-policy deny
            raise S3AccessDeniedError()
        return response

    _key_response.__wrapped__ = original  # type: ignore[attr-defined]
    S3Response._key_response = _key_response  # type: ignore[method-assign]

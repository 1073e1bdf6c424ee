"""Addition: presigned (SigV4 query-string) S3 requests are verified as S3 verifies them.

moto 5.2.5 accepts a presigned URL whatever was done to it: a PUT without the headers the URL was
signed over, an expired URL, extra unsigned `x-amz-*` headers. Followed: S3 API Reference,
"Authenticating Requests: Using Query Parameters (AWS Signature Version 4)" and "Error responses".
For a request carrying `X-Amz-Algorithm=AWS4-HMAC-SHA256` (and no Authorization header) for `s3`:

* a missing auth parameter or `X-Amz-Expires` outside 1..604800 -> 400 `AuthorizationQueryParametersError`;
* the signature is recomputed with botocore's own S3 query signer (canonical request over the
  headers named in `X-Amz-SignedHeaders`, `UNSIGNED-PAYLOAD`, the credential's date/region/service
  scope) and the access key's secret (`s3_request.signer_for`); a mismatch -> 403
  `SignatureDoesNotMatch` with the canonical request and string to sign, as S3 returns them;
* an `x-amz-*` header on the request that is not signed -> 403 `AccessDenied` "There were headers
  present in the request which were not signed" with `HeadersNotSigned`;
* after `X-Amz-Date` + `X-Amz-Expires` -> 403 `AccessDenied` "Request has expired".
"""

from __future__ import annotations

import hmac
import time
import uuid
from calendar import timegm
from typing import Any
from xml.sax.saxutils import escape

from botocore.auth import S3SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from werkzeug.datastructures import EnvironHeaders

from localcloud.patches.s3_request import Credential, query_params, signer_for

REQUIRED = ("X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Signature", "X-Amz-Date", "X-Amz-SignedHeaders",
            "X-Amz-Expires")
MAX_EXPIRES_S = 604800
_REASONS = {400: "Bad Request", 403: "Forbidden"}


class S3Error(Exception):
    """An S3 error answer: status, code, message and S3's extra elements."""

    def __init__(self, status: int, code: str, message: str, **extra: str) -> None:
        super().__init__(f"{code}: {message}")
        self.status, self.code, self.message, self.extra = status, code, message, extra

    def xml(self) -> bytes:
        fields = {"Code": self.code, "Message": self.message, **self.extra,
                  "RequestId": uuid.uuid4().hex[:16].upper(), "HostId": "localcloud"}
        inner = "".join(f"<{k}>{escape(v)}</{k}>" for k, v in fields.items())
        return f'<?xml version="1.0" encoding="UTF-8"?>\n<Error>{inner}</Error>'.encode()


class _Verifier(S3SigV4QueryAuth):
    """botocore's presigned-URL signer, signing exactly the headers the URL names."""

    def __init__(self, credentials: Credentials, credential: Credential, signed: str) -> None:
        super().__init__(credentials, credential.service, credential.region)
        self._signed = signed

    def signed_headers(self, headers_to_sign: Any) -> str:
        return self._signed


def _timestamp(text: str) -> float:
    try:
        return float(timegm(time.strptime(text, "%Y%m%dT%H%M%SZ")))
    except ValueError:
        raise S3Error(400, "AuthorizationQueryParametersError", f"Invalid date format of header, X-Amz-Date: {text}") from None


def _canonical(environ: dict[str, Any], query: dict[str, str], credential: Credential) -> tuple[str, str, str]:
    """(canonical request, string to sign, signature) of the request as it arrived."""
    headers = EnvironHeaders(environ)
    signed = query["X-Amz-SignedHeaders"]
    raw = str(environ.get("RAW_URI") or environ.get("REQUEST_URI") or environ.get("PATH_INFO", "/"))
    kept = [p for p in str(environ.get("QUERY_STRING", "")).split("&") if not p.startswith("X-Amz-Signature=")]
    url = f"http://{headers.get('Host', 'localhost')}{raw.split('?', 1)[0]}?{'&'.join(kept)}"
    names = [n for n in signed.split(";") if n]
    request = AWSRequest(method=environ.get("REQUEST_METHOD", "GET"), url=url,
                         headers={n: headers[n] for n in names if n in headers})
    request.context["timestamp"] = query["X-Amz-Date"]
    signer = signer_for(credential.access_key_id)
    auth = _Verifier(Credentials(signer.access_key_id, signer.secret), credential, signed)
    canonical = auth.canonical_request(request)
    string_to_sign = auth.string_to_sign(request, canonical)
    return canonical, string_to_sign, auth.signature(string_to_sign, request)


def _unsigned_amz_headers(environ: dict[str, Any], signed: str) -> list[str]:
    names = {n.lower() for n in signed.split(";")}
    return sorted({k.lower() for k in EnvironHeaders(environ).keys() if k.lower().startswith("x-amz-")} - names)  # noqa: SIM118 - iterating yields pairs


def verify(environ: dict[str, Any], query: dict[str, str], now: float) -> None:
    """Raise `S3Error` when S3 would refuse this presigned request."""
    if missing := [p for p in REQUIRED if not query.get(p)]:
        raise S3Error(400, "AuthorizationQueryParametersError", "Query-string authentication version 4 requires the "
                      f"X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and "
                      f"X-Amz-Expires parameters (missing: {', '.join(missing)}).")
    credential = Credential.parse(query["X-Amz-Credential"])
    expires = query["X-Amz-Expires"]
    if credential is None:
        raise S3Error(400, "AuthorizationQueryParametersError",
                      f"Error parsing the X-Amz-Credential parameter: {query['X-Amz-Credential']}")
    if not expires.isdigit() or not 1 <= int(expires) <= MAX_EXPIRES_S:
        raise S3Error(400, "AuthorizationQueryParametersError",
                      f"X-Amz-Expires must be less than a week (in seconds) that is {MAX_EXPIRES_S}")
    signed_at = _timestamp(query["X-Amz-Date"])
    canonical, string_to_sign, signature = _canonical(environ, query, credential)
    if not hmac.compare_digest(signature, query["X-Amz-Signature"]):
        raise S3Error(403, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature "
                      "you provided. Check your key and signing method.", AWSAccessKeyId=credential.access_key_id,
                      StringToSign=string_to_sign, SignatureProvided=query["X-Amz-Signature"], CanonicalRequest=canonical)
    if unsigned := _unsigned_amz_headers(environ, query["X-Amz-SignedHeaders"]):
        raise S3Error(403, "AccessDenied", "There were headers present in the request which were not signed",
                      HeadersNotSigned=", ".join(unsigned))
    if now > signed_at + int(expires):
        raise S3Error(403, "AccessDenied", "Request has expired", **{
            "X-Amz-Expires": expires, "Expires": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(signed_at + int(expires))),
            "ServerTime": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now))})


def _presigned_s3(environ: dict[str, Any], query: dict[str, str]) -> bool:
    if query.get("X-Amz-Algorithm") != "AWS4-HMAC-SHA256" or environ.get("HTTP_AUTHORIZATION"):
        return False
    credential = Credential.parse(query.get("X-Amz-Credential", ""))
    return credential is None or credential.service == "s3"


def wrap(app: Any) -> Any:
    """WSGI middleware: refuse presigned S3 requests that S3 would refuse; pass the rest to `app`."""

    def middleware(environ: dict[str, Any], start_response: Any) -> Any:
        query = query_params(str(environ.get("QUERY_STRING", "")))
        if not _presigned_s3(environ, query):
            return app(environ, start_response)
        try:
            verify(environ, query, time.time())
        except S3Error as error:
            body = error.xml()
            start_response(f"{error.status} {_REASONS[error.status]}",
                           [("Content-Type", "application/xml"), ("Content-Length", str(len(body)))])
            return [body]
        return app(environ, start_response)

    return middleware

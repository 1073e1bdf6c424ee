"""Who signed an S3 request and how: shared by the bucket-policy context and the presigned-URL check.

moto accepts any access key. The emulator's convention (`Emulator.client_env`, the Lambda workers'
fake credentials in `lambda_runtime`, terraform in `deploy`) is the secret `test` for every key;
an access key that moto's IAM knows (CreateAccessKey) is that user's, with its own secret. A key
moto does not know is taken as the account's root with the secret `test`: the emulator has no
identities to refuse it against, and AWS would answer InvalidAccessKeyId, which no client of this
project can provoke with the documented settings.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import parse_qs

from localcloud import ACCOUNT_ID

EMULATOR_SECRET = "test"  # noqa: S105 - the emulator's fake credentials, see the module docstring


@dataclass(frozen=True)
class Signer:
    """The identity behind an access key id, as far as moto knows it."""

    access_key_id: str
    secret: str
    principal_arn: str
    account: str = ACCOUNT_ID


@dataclass(frozen=True)
class Credential:
    """The parts of a SigV4 credential (`<key>/<yyyymmdd>/<region>/<service>/aws4_request`)."""

    access_key_id: str
    date: str
    region: str
    service: str

    @classmethod
    def parse(cls, text: str) -> Credential | None:
        parts = text.strip().split("/")
        if len(parts) != 5 or parts[4] != "aws4_request":
            return None
        return cls(*parts[:4])


def signer_for(access_key_id: str) -> Signer:
    """The principal and secret of an access key (see the module docstring for unknown keys)."""
    from moto.iam.models import iam_backends

    key = iam_backends[ACCOUNT_ID]["aws"].access_keys.get(access_key_id)
    if key is None:
        return Signer(access_key_id, EMULATOR_SECRET, f"arn:aws:iam::{ACCOUNT_ID}:root")
    if key.role_arn:
        return Signer(access_key_id, key.secret_access_key, key.role_arn)
    return Signer(access_key_id, key.secret_access_key, f"arn:aws:iam::{ACCOUNT_ID}:user/{key.user_name}")


def query_params(query_string: str) -> dict[str, str]:
    """The last value of each query parameter, blank values kept."""
    return {k: v[-1] for k, v in parse_qs(query_string, keep_blank_values=True).items()}


def request_credential(headers: Mapping[str, str], query: Mapping[str, str]) -> tuple[str, Credential | None]:
    """(s3:authType, credential): `REST-HEADER` (Authorization), `REST-QUERY-STRING` (presigned) or `NONE`."""
    authorization = headers.get("Authorization") or headers.get("authorization") or ""
    if authorization.startswith("AWS4-HMAC-SHA256 "):
        scope = authorization.split("Credential=", 1)[-1].split(",", 1)[0]
        return "REST-HEADER", Credential.parse(scope)
    if "X-Amz-Credential" in query:
        return "REST-QUERY-STRING", Credential.parse(query["X-Amz-Credential"])
    return ("REST-HEADER" if authorization else "NONE"), None


def auth_of(headers: Mapping[str, str], query: Mapping[str, str]) -> tuple[str, str, str] | None:
    """(s3:authType, s3:signatureversion, access key id) of a signed request (SigV4 or SigV2), else None."""
    auth_type, credential = request_credential(headers, query)
    if credential is not None:
        return auth_type, "AWS4-HMAC-SHA256", credential.access_key_id
    authorization = headers.get("Authorization") or headers.get("authorization") or ""
    if authorization.startswith("AWS "):
        return "REST-HEADER", "AWS", authorization[4:].split(":", 1)[0]
    if "AWSAccessKeyId" in query and "Signature" in query:
        return "REST-QUERY-STRING", "AWS", query["AWSAccessKeyId"]
    return None


def is_s3_request(headers: Mapping[str, str], query_string: str) -> bool:
    """Signed (header or query) for the service `s3`."""
    _, credential = request_credential(headers, query_params(query_string))
    return credential is not None and credential.service == "s3"

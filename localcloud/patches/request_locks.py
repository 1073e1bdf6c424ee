"""Addition: one request at a time per service whose moto backend is not thread-safe.

moto's server runs each request on its own thread, and its backends iterate plain dicts: a DynamoDB
`Query` walking `Table.items` while another request's `PutItem` adds an item raised
`RuntimeError: dictionary changed size during iteration` (moto answered a bare 500), and so did a
CloudWatch `DescribeAlarms` while terraform created alarms 20 at a time, and an IAM `GetRole` while
terraform deleted the roles of a stack ten at a time. AWS has no such failure:
each DynamoDB item operation is atomic (DynamoDB Developer Guide, "Read consistency"; writes to an
item are serialized). Requests to the listed services run one at a time, which is still one
atomic operation per request as in AWS, and concurrency between requests stays at request
granularity. Only leaf services are listed: their requests never wait on another request to the
same emulator (a Lambda `Invoke`, whose handler calls back into the emulator, is not serialized).

Other services read IAM's roles inside their own requests (Lambda `CreateFunction` and STS
`AssumeRole` look a role up by ARN), outside IAM's lock: `install` makes moto's role listing a
snapshot, so such a lookup never iterates the dict an IAM request is changing.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from localcloud.patches.s3_request import query_params, request_credential

# SigV4 signing names (the credential scope's service): DynamoDB, CloudWatch, IAM.
SERIALIZED = ("dynamodb", "monitoring", "iam")
_LOCKS = {service: threading.Lock() for service in SERIALIZED}


@contextmanager
def held(service: str) -> Iterator[None]:
    """Hold `service`'s lock: for the emulator's own in-process work on that backend (a metric written, alarms read)."""
    with _LOCKS[service]:
        yield


def install() -> None:
    """moto's `IAMBackend.get_roles` (behind `get_role` and `get_role_by_arn`) returns a list, not a live view."""
    from moto.iam.models import IAMBackend, Role

    def get_roles(self: IAMBackend) -> list[Role]:
        return list(self.roles.values())  # copied in one C call: atomic under the GIL

    IAMBackend.get_roles = get_roles  # type: ignore[assignment,method-assign]


def signing_service(environ: dict[str, Any]) -> str | None:
    """The service a SigV4-signed request is for (its credential scope), or None."""
    headers = {"Authorization": str(environ.get("HTTP_AUTHORIZATION", ""))}
    _, credential = request_credential(headers, query_params(str(environ.get("QUERY_STRING", ""))))
    return credential.service if credential is not None else None


def wrap(app: Any) -> Any:
    """WSGI middleware: hold the service's lock while moto handles (and renders) the request."""

    def middleware(environ: dict[str, Any], start_response: Any) -> Any:
        lock = _LOCKS.get(signing_service(environ) or "")
        if lock is None:
            return app(environ, start_response)
        with lock:
            return list(app(environ, start_response))  # the whole body is produced under the lock

    return middleware

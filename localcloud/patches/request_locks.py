"""Addition: one request at a time per service whose moto backend is not thread-safe.

moto's server runs each request on its own thread, and its backends iterate plain dicts: a DynamoDB
`Query` walking `Table.items` while another request's `PutItem` adds an item raised
`RuntimeError: dictionary changed size during iteration` (moto answered a bare 500), and so did a
CloudWatch `DescribeAlarms` while terraform created alarms 20 at a time. AWS has no such failure:
each DynamoDB item operation is atomic (DynamoDB Developer Guide, "Read consistency"; writes to an
item are serialized). Requests to the listed services run one at a time, which is still one
atomic operation per request as in AWS, and concurrency between requests stays at request
granularity. Only leaf services are listed: their requests never wait on another request to the
same emulator (a Lambda `Invoke`, whose handler calls back into the emulator, is not serialized).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from localcloud.patches.s3_request import query_params, request_credential

# SigV4 signing names (the credential scope's service): DynamoDB, CloudWatch.
SERIALIZED = ("dynamodb", "monitoring")
_LOCKS = {service: threading.Lock() for service in SERIALIZED}


@contextmanager
def held(service: str) -> Iterator[None]:
    """Hold `service`'s lock: for the emulator's own in-process work on that backend (a metric written, alarms read)."""
    with _LOCKS[service]:
        yield


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

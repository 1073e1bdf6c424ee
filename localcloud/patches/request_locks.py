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

moto builds a service's request router lazily, on its first request, compiling werkzeug rules with
`ast.parse`; two first requests at once (terraform creating API keys in parallel) compiled together
and CPython 3.11's parser, not thread-safe there, raised `SystemError: AST constructor recursion
depth mismatch` (CPython gh-106905), a bare 500. `install` builds each router under one lock.
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


_ROUTER_LOCK = threading.Lock()


def install() -> None:
    """moto's `IAMBackend.get_roles` returns a list, not a live view; moto's routers are built one at a time."""
    from moto.core.routing import ServiceOperationRouter
    from moto.iam.models import IAMBackend, Role

    build_router = ServiceOperationRouter._get_router

    def get_router(self: ServiceOperationRouter, protocol: str) -> Any:
        if protocol in self._routers:  # built: no lock on the request path
            return self._routers[protocol]
        with _ROUTER_LOCK:
            return build_router(self, protocol)

    ServiceOperationRouter._get_router = get_router  # type: ignore[method-assign]

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

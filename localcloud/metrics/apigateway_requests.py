"""`AWS/ApiGateway` metrics of REST API requests, one set per request an API stage answered.

AWS (API Gateway Developer Guide, "Amazon API Gateway dimensions and metrics"): `Count` (Count, the
number of requests: its SampleCount), `4XXError` and `5XXError` (Count, 1 or 0 per request: their
Sum is the count, their Average the rate; "API Gateway counts modified gateway response status codes
as 4XXError errors", so a 429 from a throttle is one), `Latency` (Milliseconds, from receiving the
request to returning the response) and `IntegrationLatency` (Milliseconds, from relaying the request
to the backend to receiving its response; only for requests that reached the integration), under
the dimensions `ApiName` and `ApiName,Stage` (the `Method`/`Resource` dimensions exist only with
detailed metrics, which the stacks do not enable). A request to an API or stage that does not exist
publishes nothing (there is no ApiName/Stage to count it under), nor does one the emulator answers
501 (an integration type it does not implement) or a loud 500 of its own.
"""

from __future__ import annotations

from contextvars import ContextVar

from localcloud.metrics.publish import Datum, put_data

NAMESPACE = "AWS/ApiGateway"
_INTEGRATION_MS: ContextVar[float | None] = ContextVar("integration_ms", default=None)


def integration_started() -> None:
    """Forget the integration latency of an earlier request on this thread (call when a request begins)."""
    _INTEGRATION_MS.set(None)


def integration_took(milliseconds: float) -> None:
    """Record this request's integration latency."""
    _INTEGRATION_MS.set(milliseconds)


def datapoints(api_name: str, stage: str, status: int, latency_ms: float, integration_ms: float | None) -> list[Datum]:
    """The request's datapoints under `ApiName` and `ApiName,Stage`."""
    data = []
    for dims in ({"ApiName": api_name}, {"ApiName": api_name, "Stage": stage}):
        data += [Datum("Count", 1, "Count", dims), Datum("4XXError", int(400 <= status < 500), "Count", dims),
                 Datum("5XXError", int(500 <= status < 600), "Count", dims),
                 Datum("Latency", round(latency_ms, 3), "Milliseconds", dims)]
        if integration_ms is not None:
            data.append(Datum("IntegrationLatency", round(integration_ms, 3), "Milliseconds", dims))
    return data


def publish(account: str, region: str, api_name: str, stage: str, status: int, latency_ms: float) -> None:
    """Publish one answered request (with the integration latency recorded on this thread, if any)."""
    put_data(account, region, NAMESPACE, datapoints(api_name, stage, status, latency_ms, _INTEGRATION_MS.get()))

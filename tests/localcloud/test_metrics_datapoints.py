"""The datapoints each service publishes, with AWS's names, units and dimensions (pure, plus the sampler's thread)."""

from __future__ import annotations

from localcloud.metrics import apigateway_requests, lambda_invocations
from localcloud.metrics.publish import Datum
from localcloud.metrics.sqs_sampler import QueueSampler


def _by_name(data: list[Datum], dims: dict[str, str]) -> dict[str, object]:
    return {d.name: d.value for d in data if dict(d.dimensions) == dims}


def test_a_throttled_request_is_a_4xx_error_and_not_a_5xx_error() -> None:
    data = _by_name(apigateway_requests.datapoints("api", "v1", 429, 1.0, None), {"ApiName": "api", "Stage": "v1"})
    assert (data["4XXError"], data["5XXError"]) == (1, 0)


def test_a_gateway_timeout_is_a_5xx_error() -> None:
    data = _by_name(apigateway_requests.datapoints("api", "v1", 504, 29_000.0, 29_000.0), {"ApiName": "api"})
    assert (data["4XXError"], data["5XXError"]) == (0, 1)


def test_integration_latency_is_published_only_when_the_integration_was_called() -> None:
    names = {d.name for d in apigateway_requests.datapoints("api", "v1", 403, 1.0, None)}
    assert "IntegrationLatency" not in names


def test_an_invocation_is_published_without_dimensions_by_function_and_by_resource() -> None:
    data = lambda_invocations.datapoints("fn", "$LATEST", error=False, duration_s=0.25)
    assert sorted({tuple(sorted(d.dimensions.items())) for d in data}) == [
        (), (("FunctionName", "fn"),), (("FunctionName", "fn"), ("Resource", "fn"))]


def test_a_successful_invocation_publishes_errors_zero_and_its_duration_in_milliseconds() -> None:
    data = {d.name: (d.value, d.unit) for d in lambda_invocations.datapoints("fn", "3", error=False, duration_s=0.25)}
    assert data == {"Invocations": (1, "Count"), "Errors": (0, "Count"), "Duration": (250.0, "Milliseconds")}


def test_a_version_is_its_own_resource() -> None:
    resources = {d.dimensions.get("Resource") for d in lambda_invocations.datapoints("fn", "3", error=True, duration_s=0)}
    assert resources == {None, "fn:3"}


def test_the_sampler_thread_ends_when_stopped() -> None:
    sampler = QueueSampler().start()
    sampler.stop()
    assert sampler._thread is not None and not sampler._thread.is_alive()

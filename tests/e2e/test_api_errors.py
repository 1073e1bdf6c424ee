"""After a real terraform deploy into the emulator: every error of the partner API has one JSON shape.

`{"message": str, "reasons": [str, ...], "request_id": str}`, whether the gateway refused the
request (a gateway response of the api stack) or a function did; `request_id` is the request's
`x-amzn-RequestId`. Uses the session's deployment (tests/e2e/conftest.py).
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from localcloud.scenario import Pipeline, transaction

pytestmark = pytest.mark.e2e


def exchange(pipeline: Pipeline, method: str, path: str, body: Any = None, *, key: str | None = None,
             raw: bytes | None = None) -> tuple[int, dict[str, str], Any]:
    """One call to the deployed stage: status, headers, decoded JSON body."""
    assert pipeline.api_url is not None
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    request = urllib.request.Request(  # noqa: S310 - the loopback emulator
        f"{pipeline.api_url}{path}", data=data, method=method,
        headers={"Content-Type": "application/json", **({"x-api-key": key} if key else {})})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            return response.status, dict(response.headers), json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), json.loads(error.read() or b"null")


def assert_error_shape(headers: dict[str, str], body: Any) -> None:
    assert isinstance(body, dict) and set(body) == {"message", "reasons", "request_id"}, body
    assert isinstance(body["message"], str) and body["message"], body
    assert isinstance(body["reasons"], list) and all(isinstance(r, str) for r in body["reasons"]), body
    assert body["request_id"] == headers["x-amzn-RequestId"], (body, headers)


def partner_key(pipeline: Pipeline, partner: str) -> str:
    return next(v for k, v in pipeline.api_keys.items() if partner in k)


def test_a_body_the_gateway_refuses_answers_400_with_the_missing_field(pipeline: Pipeline) -> None:
    body = {k: v for k, v in transaction("e2e-err-no-ts").items() if k != "timestamp"}
    status, headers, answer = exchange(pipeline, "POST", "/transactions", body, key=partner_key(pipeline, "acme"))
    assert status == 400
    assert any("timestamp" in reason for reason in answer["reasons"]), answer
    assert_error_shape(headers, answer)


def _cases(pipeline: Pipeline) -> dict[str, tuple[int, tuple[str, str, Any, str | None]]]:
    acme, globex = partner_key(pipeline, "acme"), partner_key(pipeline, "globex")
    stored = transaction("e2e-err-stored")
    assert exchange(pipeline, "POST", "/transactions", stored, key=acme)[0] == 201
    upload = exchange(pipeline, "POST", "/uploads", {"format": "csv"}, key=acme)[2]
    return {
        "400 model": (400, ("POST", "/transactions", {**stored, "currency": "XXX"}, acme)),
        "400 rule (function)": (400, ("POST", "/transactions", transaction("e2e-err-rule", amount="1.234"), acme)),
        "403 no key": (403, ("POST", "/transactions", stored, None)),
        "403 bad key": (403, ("POST", "/transactions", stored, "not-a-key-of-anyone-0123456789")),
        "403 unknown route": (403, ("GET", "/nothing-here", None, acme)),
        "404 other partner's file": (404, ("GET", f"/files/{upload['file_id']}", None, globex)),
        "404 other partner's transaction": (404, ("GET", "/transactions/e2e-err-stored", None, globex)),
        "409 conflicting body": (409, ("POST", "/transactions", {**stored, "amount": "99.00"}, acme)),
        "413 body too large (function)": (413, ("POST", "/transactions", {**stored, "padding": "x" * 20_000}, acme)),
    }


def test_every_error_the_api_gives_has_the_same_shape(pipeline: Pipeline) -> None:
    cases, results = _cases(pipeline), {}
    for name, (_, (method, path, body, key)) in cases.items():
        status, headers, answer = exchange(pipeline, method, path, body, key=key)
        results[name] = status
        assert_error_shape(headers, answer)
    assert results == {name: expected for name, (expected, _) in cases.items()}


def test_a_partner_over_its_burst_is_throttled_with_429_in_the_same_shape(pipeline: Pipeline) -> None:
    # Given globex's usage plan (burst 40, 20 rps): requests refused early by the validator are cheap
    globex = partner_key(pipeline, "globex")
    # When 120 arrive at once
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(lambda _: exchange(pipeline, "POST", "/transactions", {}, key=globex), range(120)))
    time.sleep(3)  # let the bucket refill for whatever runs next
    # Then some were throttled, each in the one error shape
    throttled = [(headers, body) for status, headers, body in answers if status == 429]
    assert throttled, sorted({status for status, _, _ in answers})
    for headers, body in throttled:
        assert_error_shape(headers, body)

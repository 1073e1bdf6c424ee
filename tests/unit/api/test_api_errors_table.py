"""The gateway error table refuses entries that would not render the one error shape."""

from __future__ import annotations

import json

import pytest

from stacks.api.errors import GATEWAY_ERRORS, GatewayError


def test_each_response_type_appears_once() -> None:
    types = [e.response_type for e in GATEWAY_ERRORS]
    assert len(types) == len(set(types))


@pytest.mark.parametrize("message", ['say "hi"', "costs $5", "#set", "back\\slash"])
def test_a_message_that_would_break_the_template_is_refused(message: str) -> None:
    with pytest.raises(ValueError, match="must be plain text"):
        GatewayError(response_type="THROTTLED", status=429, message=message)


def test_a_non_error_status_is_refused() -> None:
    with pytest.raises(ValueError, match="not an error status"):
        GatewayError(response_type="THROTTLED", status=200, message="ok")


def test_a_static_message_is_a_json_string_in_the_template() -> None:
    template = GatewayError(response_type="THROTTLED", status=429, message="too many requests").template()
    assert json.loads(template.replace("$context.requestId", "r"))["message"] == "too many requests"

"""Pieces of the API Gateway additions without HTTP: substitution, validator wording, buckets, quota periods."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest

from localcloud.patches.apigateway_limits import TokenBucket, period_start
from localcloud.patches.apigateway_responses import GatewayFailure, TemplateError, render, substitute
from localcloud.patches.apigateway_validation import validation_error_string
from stacks.api.errors import GATEWAY_ERRORS
from stacks.api.models import TRANSACTION_SCHEMA, UPLOAD_SCHEMA

GOOD = {"transaction_id": "T-1", "account_id": "A1", "amount": "12.50", "currency": "USD",
        "transaction_type": "DEBIT", "timestamp": "2026-11-25T10:00:00Z"}


def details(record: object) -> str:
    return validation_error_string(json.dumps(record).encode(), TRANSACTION_SCHEMA)


def test_a_missing_property_is_reported_in_api_gateways_words() -> None:
    body = {k: v for k, v in GOOD.items() if k != "timestamp"}
    assert details(body) == '[object has missing required properties (["timestamp"])]'


def test_several_problems_are_one_bracketed_list() -> None:
    body = {k: v for k, v in GOOD.items() if k not in {"timestamp", "account_id"}} | {"transaction_type": "REFUND"}
    assert details(body) == ('[object has missing required properties (["account_id","timestamp"]), '
                             'instance value ("REFUND") not found in enum (possible values: ["DEBIT","CREDIT","TRANSFER"])]')


@pytest.mark.parametrize(("change", "expected"), [
    ({"amount": True}, 'instance type (boolean) does not match any allowed primitive type (allowed: ["number","string"])'),
    ({"amount": "1,5"}, 'ECMA 262 regex "^[0-9]+(\\.[0-9]+)?$" does not match input string "1,5"'),
    ({"timestamp": "2026"}, 'string "2026" is too short (length: 4, required minimum: 20)'),
])
def test_single_keyword_failures(change: dict[str, object], expected: str) -> None:
    assert details(GOOD | change) == f"[{expected}]"


def test_a_conforming_body_has_no_details_and_a_non_json_body_says_so() -> None:
    assert details(GOOD) == ""
    assert validation_error_string(b"{nope", TRANSACTION_SCHEMA).startswith("[Invalid JSON: ")


def test_an_empty_body_is_validated_as_an_empty_object() -> None:
    # Given a model with required properties and one without (POST /uploads: format is optional)
    # Then an empty body is refused by the first for what it lacks, and passes the second
    assert validation_error_string(b"", TRANSACTION_SCHEMA).startswith("[object has missing required properties (")
    assert validation_error_string(b"", UPLOAD_SCHEMA) == ""


def test_substitution_quotes_and_escapes_as_api_gateway_does() -> None:
    values = {"context.error.messageString": '"a \\"b\\""', "context.requestId": "r-1"}
    assert substitute('{"m": $context.error.messageString, "id": "$context.requestId"}', values, where="t") == \
        '{"m": "a \\"b\\"", "id": "r-1"}'


@pytest.mark.parametrize("template", ["$input.body", "${context.requestId}", "#if(1)x#end", "cost $5"])
def test_anything_but_simple_substitution_raises_naming_it(template: str) -> None:
    with pytest.raises(TemplateError, match="gateway response"):
        substitute(template, {"context.requestId": "r"}, where="gateway response T")


def _api(*errors: object) -> SimpleNamespace:
    return SimpleNamespace(gateway_responses={
        e.response_type: SimpleNamespace(response_type=e.response_type, status_code=str(e.status) if e.status else None,  # type: ignore[attr-defined]
                                         response_templates={"application/json": e.template()},  # type: ignore[attr-defined]
                                         response_parameters={}) for e in errors})


def test_without_gateway_responses_the_built_in_body_is_rendered() -> None:
    status, headers, body = render(SimpleNamespace(gateway_responses={}), GatewayFailure("THROTTLED", "Too Many Requests"),
                                   {"requestId": "r"})
    assert (status, headers["Content-Type"], json.loads(body)) == (429, "application/json", {"message": "Too Many Requests"})


def test_an_unconfigured_type_falls_back_to_default_4xx_with_its_own_status() -> None:
    default_4xx = next(e for e in GATEWAY_ERRORS if e.response_type == "DEFAULT_4XX")
    status, _, body = render(_api(default_4xx), GatewayFailure("UNSUPPORTED_MEDIA_TYPE", "Unsupported Media Type"),
                             {"requestId": "r"})
    assert (status, json.loads(body)) == (415, {"message": "Unsupported Media Type", "reasons": [], "request_id": "r"})


def test_a_token_bucket_refills_at_its_rate_up_to_its_burst() -> None:
    bucket = TokenBucket(rate=2.0, burst=2.0, tokens=2.0, stamp=0.0)
    assert [bucket.take(0.0), bucket.take(0.0), bucket.take(0.0)] == [True, True, False]
    assert bucket.take(0.5) is True and bucket.take(0.5) is False  # 0.5 s at 2/s = one token
    assert [bucket.take(100.0), bucket.take(100.0), bucket.take(100.0)] == [True, True, False]  # capped at burst


@pytest.mark.parametrize(("period", "start"), [
    ("DAY", datetime(2026, 12, 2, tzinfo=UTC)), ("WEEK", datetime(2026, 11, 30, tzinfo=UTC)),
    ("MONTH", datetime(2026, 12, 1, tzinfo=UTC)),
])
def test_quota_periods_start_at_utc_boundaries(period: str, start: datetime) -> None:
    assert period_start(period, datetime(2026, 12, 2, 21, 5, tzinfo=UTC)) == start


def test_an_unknown_quota_period_is_refused() -> None:
    with pytest.raises(ValueError, match="must be DAY, WEEK or MONTH"):
        period_start("YEAR", datetime(2026, 12, 2, tzinfo=UTC))

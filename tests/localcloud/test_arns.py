"""The one ARN helper: parse, build, fill in an empty account."""

from __future__ import annotations

import pytest

from localcloud import arns


def test_parse_keeps_colons_and_slashes_of_the_resource_part() -> None:
    parsed = arns.parse("arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/f:*")
    assert parsed.resource == "log-group:/aws/lambda/f:*"


def test_parse_reads_service_region_and_account() -> None:
    parsed = arns.parse("arn:aws:sqs:eu-west-1:111122223333:queue")
    assert (parsed.service, parsed.region, parsed.account) == ("sqs", "eu-west-1", "111122223333")


def test_build_and_parse_round_trip() -> None:
    text = arns.arn("states", "us-east-1", "123456789012", "stateMachine:m")
    assert str(arns.parse(text)) == text == "arn:aws:states:us-east-1:123456789012:stateMachine:m"


def test_with_account_fills_an_empty_account() -> None:
    filled = arns.with_account("arn:aws:athena:us-east-1::workgroup/primary", "123456789012")
    assert filled == "arn:aws:athena:us-east-1:123456789012:workgroup/primary"


def test_with_account_leaves_a_present_account_alone() -> None:
    text = "arn:aws:athena:us-east-1:999999999999:workgroup/primary"
    assert arns.with_account(text, "123456789012") == text


def test_with_account_fills_a_pattern_without_touching_its_wildcards() -> None:
    filled = arns.with_account("arn:aws:execute-api:us-east-1::abc/*/GET/items", "123456789012")
    assert filled == "arn:aws:execute-api:us-east-1:123456789012:abc/*/GET/items"


@pytest.mark.parametrize("text", ["", "queue-name", "arn:aws:sqs:us-east-1", "urn:aws:sqs:us-east-1:1:q", "arn::sqs:r:a:q"])
def test_no_arn_is_refused_naming_it(text: str) -> None:
    with pytest.raises(ValueError, match="not an ARN"):
        arns.parse(text)


def test_is_arn_tells_arns_from_other_text() -> None:
    assert arns.is_arn("arn:aws:s3:::bucket/key") and not arns.is_arn("bucket/key")

"""The emulator's IAM condition evaluator, operator family by family (IAM User Guide, condition operators)."""

from __future__ import annotations

import pytest

from localcloud.patches.iam_conditions import UnsupportedCondition, conditions_met, key_matches

SSE = "s3:x-amz-server-side-encryption"
KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/k-1"


def test_string_equals_matches_any_listed_value() -> None:
    # Given a request value, When one of the listed values equals it, Then the condition is met
    assert key_matches("StringEquals", ["AES256", "aws:kms"], "aws:kms")
    assert not key_matches("StringEquals", ["AES256"], "aws:kms")


def test_negated_operator_is_true_on_an_absent_key() -> None:
    # Given no SSE header, When the policy says StringNotEquals aws:kms, Then the deny applies (IAM: true)
    assert key_matches("StringNotEquals", "aws:kms", None)


def test_negated_operator_on_a_present_key() -> None:
    assert not key_matches("StringNotEquals", "aws:kms", "aws:kms")
    assert key_matches("StringNotEquals", "aws:kms", "AES256")
    assert not key_matches("StringNotEquals", ["AES256", "aws:kms"], "AES256")  # equal to one listed: false


def test_positive_operator_is_false_on_an_absent_key() -> None:
    assert not key_matches("StringEquals", "aws:kms", None)
    assert not key_matches("ArnLike", "arn:aws:iam::*:root", None)


def test_if_exists_is_true_on_an_absent_key_and_evaluates_a_present_one() -> None:
    assert key_matches("StringEqualsIfExists", "aws:kms", None)
    assert key_matches("StringNotEqualsIfExists", "aws:kms", None)
    assert not key_matches("StringEqualsIfExists", "aws:kms", "AES256")


def test_null_checks_presence() -> None:
    assert key_matches("Null", "true", None)
    assert not key_matches("Null", "true", "aws:kms")
    assert key_matches("Null", "false", "aws:kms")
    assert not key_matches("Null", False, None)


def test_string_like_uses_only_star_and_question_mark() -> None:
    assert key_matches("StringLike", "uploads/*", "uploads/acme/a.csv")
    assert key_matches("StringLike", "a?c", "abc")
    assert not key_matches("StringLike", "[ab]", "a")  # no character classes in IAM
    assert key_matches("StringNotLike", "uploads/*", "other/a.csv")


def test_ignore_case_arn_numeric_date_bool_ip() -> None:
    assert key_matches("StringEqualsIgnoreCase", "AWS:KMS", "aws:kms")
    assert key_matches("ArnLike", "arn:aws:iam::123456789012:*", "arn:aws:iam::123456789012:root")
    assert key_matches("ArnNotEquals", KEY_ARN, "arn:aws:kms:us-east-1:123456789012:key/other")
    assert key_matches("NumericLessThan", "1.2", "1.0")
    assert not key_matches("NumericLessThan", "1.2", "1.3")
    assert key_matches("DateGreaterThan", "2020-01-01T00:00:00Z", "2026-12-01T00:00:00Z")
    assert key_matches("Bool", True, "true")
    assert key_matches("IpAddress", "127.0.0.0/8", "127.0.0.1")
    assert key_matches("NotIpAddress", "10.0.0.0/8", "127.0.0.1")


def test_for_any_value_needs_one_match_and_is_false_on_an_absent_key() -> None:
    assert key_matches("ForAnyValue:StringEquals", ["a", "b"], ["x", "b"])
    assert not key_matches("ForAnyValue:StringEquals", ["a"], ["x", "y"])
    assert not key_matches("ForAnyValue:StringEquals", ["a"], None)
    assert key_matches("ForAnyValue:StringNotEquals", ["a"], ["a", "z"])  # z is not a


def test_for_all_values_needs_every_value_and_is_true_on_an_absent_key() -> None:
    assert key_matches("ForAllValues:StringEquals", ["a", "b"], ["a", "b"])
    assert not key_matches("ForAllValues:StringEquals", ["a"], ["a", "z"])
    assert key_matches("ForAllValues:StringEquals", ["a"], None)
    assert key_matches("ForAllValues:StringEquals", ["a"], [])


def test_block_is_an_and_of_operators_and_keys() -> None:
    # Given the raw bucket's two denies' conditions merged into one block
    block = {"StringEquals": {SSE: "aws:kms"}, "StringEqualsIfExists": {f"{SSE}-aws-kms-key-id": KEY_ARN}}
    assert conditions_met(block, {SSE: "aws:kms"})
    assert not conditions_met(block, {SSE: "aws:kms", f"{SSE}-aws-kms-key-id": "other"})
    assert not conditions_met(block, {})


def test_unknown_operator_or_qualifier_is_a_clear_error() -> None:
    with pytest.raises(UnsupportedCondition, match="StringSortOf"):
        key_matches("StringSortOf", "a", "a")
    with pytest.raises(UnsupportedCondition, match="ForSomeValues"):
        key_matches("ForSomeValues:StringEquals", "a", "a")

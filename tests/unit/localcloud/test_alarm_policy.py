"""Whether a topic or key policy lets CloudWatch act (IAM evaluation: Deny wins, an Allow is needed)."""

from __future__ import annotations

from typing import Any

from localcloud.alarms.policy import allows

TOPIC = "arn:aws:sns:us-east-1:123456789012:alerts"
ALARM = "arn:aws:cloudwatch:us-east-1:123456789012:alarm:a"
CONTEXT = {"aws:SourceArn": ALARM, "aws:SourceAccount": "123456789012", "aws:SourceOwner": "123456789012"}
CW = "cloudwatch.amazonaws.com"


def _policy(*statements: dict[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def _allow(principal: Any, action: Any = "sns:Publish", **extra: Any) -> dict[str, Any]:
    return {"Effect": "Allow", "Principal": principal, "Action": action, "Resource": TOPIC, **extra}


def test_the_default_topic_policy_lets_the_owners_alarms_publish() -> None:
    default = _allow({"AWS": "*"}, ["SNS:Publish", "SNS:Subscribe"],
                     Condition={"StringEquals": {"AWS:SourceOwner": "123456789012"}})
    assert allows(_policy(default), CW, "sns:Publish", TOPIC, CONTEXT)


def test_a_service_principal_with_an_action_wildcard_is_allowed() -> None:
    assert allows(_policy(_allow({"Service": [CW, "events.amazonaws.com"]}, "sns:*")), CW, "sns:Publish", TOPIC, CONTEXT)


def test_a_policy_naming_only_another_service_denies() -> None:
    assert not allows(_policy(_allow({"Service": "events.amazonaws.com"})), CW, "sns:Publish", TOPIC, CONTEXT)


def test_an_explicit_deny_wins_over_an_allow() -> None:
    deny = {"Effect": "Deny", "Principal": "*", "Action": "sns:Publish", "Resource": TOPIC}
    assert not allows(_policy(_allow({"Service": CW}), deny), CW, "sns:Publish", TOPIC, CONTEXT)


def test_a_source_arn_condition_for_another_alarm_denies() -> None:
    other = _allow({"Service": CW}, Condition={"ArnLike": {"aws:SourceArn": "arn:aws:cloudwatch:*:*:alarm:other-*"}})
    assert not allows(_policy(other), CW, "sns:Publish", TOPIC, CONTEXT)


def test_a_source_account_condition_for_this_account_allows() -> None:
    mine = _allow({"Service": CW}, Condition={"StringEquals": {"aws:SourceAccount": "123456789012"}})
    assert allows(_policy(mine), CW, "sns:Publish", TOPIC, CONTEXT)


def test_a_key_policy_without_cloudwatch_denies_generate_data_key() -> None:
    key = {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"}, "Action": "kms:*", "Resource": "*"}
    assert not allows(_policy(key), CW, "kms:GenerateDataKey", "arn:aws:kms:us-east-1:123456789012:key/k", CONTEXT)


def test_a_key_policy_granting_cloudwatch_generate_data_key_star_allows() -> None:
    key = {"Effect": "Allow", "Principal": {"Service": CW}, "Action": ["kms:GenerateDataKey*", "kms:Decrypt"],
           "Resource": "*"}
    assert allows(_policy(key), CW, "kms:GenerateDataKey", "arn:aws:kms:us-east-1:123456789012:key/k", CONTEXT)

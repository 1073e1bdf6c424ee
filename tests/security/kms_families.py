"""The CMK families of tests/security/test_kms_usage.py: one function per service, problems as text.

Each follows the AWS document named for it in test_kms_usage.py's docstring.
"""

from __future__ import annotations

from fnmatch import fnmatchcase
from typing import Any

from tests.security.kms_rules import iam_problems, key_policy_problems, role_of, roles_doing, service_statements
from tests.security.tfjson import Stacks

LOGS_ACTIONS = ("kms:Encrypt", "kms:Decrypt", "kms:ReEncryptFrom", "kms:GenerateDataKey", "kms:DescribeKey")
PRODUCE = ("kms:GenerateDataKey", "kms:Decrypt")


def one(block: Any) -> Any:
    """A nested block as synthesized: a one-element list or the object itself."""
    return block[0] if isinstance(block, list) else block


def logs_problems(stacks: Stacks) -> list[str]:
    service = f"logs.{stacks.region}.amazonaws.com"
    problems = key_policy_problems(stacks, service, LOGS_ACTIONS)
    patterns = [p for s in service_statements(stacks, service)
                for p in [(s.get("Condition") or {}).get("ArnLike", {}).get("kms:EncryptionContext:aws:logs:arn")] if p]
    for concern, _, name, body in stacks.resources("aws_cloudwatch_log_group"):
        arn = f"arn:aws:logs:{stacks.region}:{stacks.account}:log-group:{stacks.resolve(concern, body['name'])}"
        if body.get("kms_key_id") and not any(fnmatchcase(arn, p) for p in patterns):
            problems.append(f"{concern}/{name}: no key policy statement scoped to {arn}")
    return problems


def sns_problems(stacks: Stacks) -> list[str]:
    problems = []
    for concern, _, name, body in stacks.resources("aws_sns_topic"):
        if not body.get("kms_master_key_id"):
            continue
        topic = stacks.value(concern, f"aws_sns_topic.{name}.arn")
        alarms = [b for c, _, _, b in stacks.resources("aws_cloudwatch_metric_alarm")
                  if topic in stacks.resolve(c, str(b.get("alarm_actions", "")) + str(b.get("ok_actions", "")))]
        if alarms:
            problems += key_policy_problems(stacks, "cloudwatch.amazonaws.com", PRODUCE)
        problems += iam_problems(stacks, roles_doing(stacks, ["sns:Publish"], topic), PRODUCE, f"publishing to {name}")
    return problems


def sqs_problems(stacks: Stacks) -> list[str]:
    problems = []
    for concern, _, name, body in stacks.resources("aws_sqs_queue"):
        if not body.get("kms_master_key_id"):
            continue
        queue = stacks.value(concern, f"aws_sqs_queue.{name}.arn")
        if any(queue in stacks.resolve(c, str(b.get("dead_letter_config"))) for c, _, _, b in
               stacks.resources("aws_cloudwatch_event_target")):
            problems += key_policy_problems(stacks, "events.amazonaws.com", PRODUCE)
        problems += iam_problems(stacks, roles_doing(stacks, ["sqs:SendMessage"], queue), PRODUCE, f"sending to {name}")
        problems += iam_problems(stacks, roles_doing(stacks, ["sqs:ReceiveMessage"], queue), ["kms:Decrypt"],
                                 f"receiving from {name}")
    return problems


def s3_problems(stacks: Stacks) -> list[str]:
    problems = []
    for concern, _, _, body in stacks.resources("aws_s3_bucket_server_side_encryption_configuration"):
        if one(one(body["rule"])["apply_server_side_encryption_by_default"])["sse_algorithm"] != "aws:kms":
            continue
        bucket = f"arn:aws:s3:::{stacks.resolve(concern, body['bucket'])}"
        problems += iam_problems(stacks, roles_doing(stacks, ["s3:PutObject"], bucket), ["kms:GenerateDataKey"],
                                 f"writing to {bucket}")
        problems += iam_problems(stacks, roles_doing(stacks, ["s3:GetObject", "s3:GetObjectVersion"], bucket),
                                 ["kms:Decrypt"], f"reading {bucket}")
    return problems


def dynamodb_problems(stacks: Stacks) -> list[str]:
    problems = []
    for concern, _, name, body in stacks.resources("aws_dynamodb_table"):
        if not (body.get("server_side_encryption") or {}).get("kms_key_arn"):
            continue
        table = stacks.value(concern, f"aws_dynamodb_table.{name}.arn")
        users = roles_doing(stacks, ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:Query",
                                     "dynamodb:BatchGetItem", "dynamodb:GetRecords", "dynamodb:Scan"], table)
        problems += iam_problems(stacks, users, ["kms:Decrypt"], f"using table {name}")
    return problems


def lambda_and_scheduler_problems(stacks: Stacks) -> list[str]:
    functions = {role_of(stacks, c, b["role"]) for c, _, _, b in stacks.resources("aws_lambda_function")
                 if b.get("kms_key_arn")}
    schedules = {role_of(stacks, c, one(b["target"])["role_arn"]) for c, _, _, b in stacks.resources("aws_scheduler_schedule")
                 if b.get("kms_key_arn")}
    return (iam_problems(stacks, functions, ["kms:Decrypt"], "decrypting its environment")
            + iam_problems(stacks, schedules, ["kms:Decrypt"], "running a CMK-encrypted schedule"))


def event_bus_problems(stacks: Stacks) -> list[str]:
    encrypted = [b for *_, b in stacks.resources("aws_cloudwatch_event_bus") if b.get("kms_key_identifier")]
    return key_policy_problems(stacks, "events.amazonaws.com", ["kms:DescribeKey", *PRODUCE]) if encrypted else []


FAMILIES = {"logs": logs_problems, "sns": sns_problems, "sqs": sqs_problems, "s3": s3_problems,
            "dynamodb": dynamodb_problems, "lambda+scheduler": lambda_and_scheduler_problems,
            "eventbridge-bus": event_bus_problems}

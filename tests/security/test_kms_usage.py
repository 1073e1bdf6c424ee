"""The CMK as every service that uses it documents, checked statically (the emulator cannot evaluate KMS).

Documents followed, one per family (AWS documentation titles):
* CloudWatch Logs: "Encrypt log data in CloudWatch Logs using AWS Key Management Service"
  (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html): the key policy
  allows `logs.<region>.amazonaws.com` kms:Encrypt*, Decrypt*, ReEncrypt*, GenerateDataKey*, Describe*
  with an `ArnLike` condition on `kms:EncryptionContext:aws:logs:arn`.
* SNS: "Data encryption at rest / Key management" and "Enable compatibility between event sources from
  AWS services and encrypted topics" (https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html):
  publishers need kms:GenerateDataKey* + kms:Decrypt; services (CloudWatch alarms) get them in the key policy.
* SQS: "Key management" (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-key-management.html):
  producers kms:GenerateDataKey + kms:Decrypt, consumers kms:Decrypt; service producers (EventBridge
  target DLQs) in the key policy.
* S3: "Using server-side encryption with AWS KMS keys (SSE-KMS)"
  (https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html): upload kms:GenerateDataKey,
  download kms:Decrypt.
* DynamoDB: "How Amazon DynamoDB uses AWS KMS" (https://docs.aws.amazon.com/kms/latest/developerguide/services-dynamodb.html):
  principals reading/writing a table (and its stream) under a customer managed key need kms:Decrypt.
* Lambda: "Securing Lambda environment variables" (https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars-encryption.html):
  the function decrypts its environment with the customer managed key: kms:Decrypt.
* EventBridge Scheduler: "Encryption at rest in EventBridge Scheduler"
  (https://docs.aws.amazon.com/scheduler/latest/UserGuide/encryption-rest.html): the execution role kms:Decrypt.
* EventBridge bus: "Authorizing EventBridge to use a customer managed key"
  (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-encryption-key-policy.html): events.amazonaws.com
  kms:DescribeKey, GenerateDataKey, Decrypt (only when a bus names the CMK; today it uses an AWS owned key).
* Athena: "Encrypting Athena query results stored in Amazon S3": SSE_KMS with the CMK.
Step Functions uses the key through its log group (Logs family) and its role's SNS/S3 calls.
"""

from __future__ import annotations

import json

import pytest

from tests.security.kms_families import FAMILIES, event_bus_problems, logs_problems, one
from tests.security.kms_rules import key_arn
from tests.security.tfjson import Stacks
from tests.synth import Synth


@pytest.mark.parametrize("family", FAMILIES)
@pytest.mark.parametrize("workspace", ["local", "prod"])
def test_the_cmk_is_usable_by_every_service_that_uses_it(synth_of, workspace: str, family: str) -> None:  # type: ignore[no-untyped-def]
    assert FAMILIES[family](Stacks.of(synth_of(workspace))) == []


def test_athena_results_are_encrypted_with_the_cmk(local: Synth) -> None:
    stacks = Stacks.of(local)
    ((concern, body),) = [(c, b) for c, _, _, b in stacks.resources("aws_athena_workgroup")]
    encryption = one(one(one(body["configuration"])["result_configuration"])["encryption_configuration"])
    assert encryption["encryption_option"] == "SSE_KMS"
    assert stacks.resolve(concern, encryption["kms_key_arn"]) == key_arn(stacks)


# -- each check can fail: drop the statement AWS needs, and the family reports it --------------------
def _drop(stacks: Stacks, type_: str, sid: str, name_contains: str = "") -> Stacks:
    """A copy of `stacks` without statements `sid` ("A+B": several) in the policies of `type_` resources named like
    `name_contains`."""
    sids = sid.split("+")
    mutated, removed = stacks.copy(), 0
    for _, _, name, body in mutated.resources(type_):
        if name_contains in name and isinstance(body.get("policy"), str):
            document = json.loads(body["policy"])
            kept = [s for s in document["Statement"] if s.get("Sid") not in sids]
            removed += len(document["Statement"]) - len(kept)
            body["policy"] = json.dumps({**document, "Statement": kept})
    assert removed, f"no statement {sid} in {type_} {name_contains!r}"
    return mutated


MUTATIONS = [
    ("logs", "aws_kms_key", "CloudWatchLogsUseKey", "", "logs.us-east-1.amazonaws.com may not kms:Encrypt"),
    ("sns", "aws_kms_key", "CloudWatchAlarmsUseKey", "", "cloudwatch.amazonaws.com may not kms:GenerateDataKey"),
    ("sns", "aws_iam_role_policy", "EncryptForTopic", "file-pipeline", "publishing to alerts_topic"),
    ("sqs", "aws_kms_key", "ServicePrincipalsUseKey", "", "events.amazonaws.com may not kms:GenerateDataKey"),
    ("sqs", "aws_iam_role_policy", "UseDataKey", "sla-check_role-policy", "sending to sla-check_dlq"),
    ("s3", "aws_iam_role_policy", "UseDataKey", "validate-file", "writing to arn:aws:s3:::txnpipe-processed"),
    # A role's kms:Decrypt may come from its runtime policy (environment) or its data policy: drop both.
    ("s3", "aws_iam_role_policy", "UseDataKey+DecryptEnvironment", "summarize-quarantine",
     "reading arn:aws:s3:::txnpipe-quarantine"),
    ("dynamodb", "aws_iam_role_policy", "UseDataKey+DecryptEnvironment", "api-status", "using table files_table"),
    ("lambda+scheduler", "aws_iam_role_policy", "UseDataKey+DecryptEnvironment", "register-file",
     "decrypting its environment"),
    ("lambda+scheduler", "aws_iam_role_policy", "UseDataKey", "aggregation_role-policy", "running a CMK-encrypted"),
]


@pytest.mark.parametrize(("family", "type_", "sid", "where", "expected"), MUTATIONS)
def test_a_missing_statement_is_reported(local: Synth, family: str, type_: str, sid: str, where: str,
                                         expected: str) -> None:
    problems = FAMILIES[family](_drop(Stacks.of(local), type_, sid, where))
    assert any(expected in p for p in problems), problems


def test_a_log_group_outside_the_condition_is_reported(local: Synth) -> None:
    # Mutation: the encryption-context condition scoped to another Region's log groups.
    mutated = Stacks.of(local).copy()
    for *_, body in mutated.resources("aws_kms_key"):
        body["policy"] = body["policy"].replace("arn:aws:logs:us-east-1:", "arn:aws:logs:eu-west-1:")
    assert any("no key policy statement scoped to" in p for p in logs_problems(mutated))


def test_encrypting_the_bus_with_the_cmk_needs_describe_key_for_eventbridge(local: Synth) -> None:
    # Latent gap, documented: the key policy gives events.amazonaws.com no kms:DescribeKey, which
    # EventBridge needs once a bus names the CMK (today the bus uses an AWS owned key).
    mutated = Stacks.of(local).copy()
    for *_, body in mutated.resources("aws_cloudwatch_event_bus"):
        body["kms_key_identifier"] = "${aws_kms_key.kms_key_28C05A0F.arn}"
    assert event_bus_problems(mutated) == ["key policy: events.amazonaws.com may not kms:DescribeKey"]

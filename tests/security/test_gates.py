"""Security and reliability gates over the synthesized stacks, and proof that each one can fail.

The mutation tests edit a deep copy of the synthesized JSON the way a careless change would
(drop a bucket's TLS policy, drop a queue's DLQ, give a role `s3:*`) and run the same gate.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from stacks.config import load_config
from tests.security import gates
from tests.security.known_findings import new_findings
from tests.security.tfjson import Stacks, policies
from tests.synth import Synth

WORKSPACES = ["local", "prod"]


@pytest.fixture(scope="module")
def stacks(local: Synth) -> Stacks:
    return Stacks.of(local)


def _retention(workspace: str) -> int:
    return load_config({"WORKSPACE": workspace}).log_retention_days


@pytest.mark.parametrize("workspace", WORKSPACES)
@pytest.mark.parametrize("gate", ["star_resources", "wildcard_actions", "principals", "encryption_and_tls",
                                  "failure_destinations", "log_groups", "service_writers_can_use_the_key"])
def test_gate_passes(synth_of, workspace: str, gate: str) -> None:  # type: ignore[no-untyped-def]
    findings = gates.all_gates(Stacks.of(synth_of(workspace)), retention_days=_retention(workspace))[gate]
    findings = new_findings(gate, findings)
    assert findings == [], "\n".join(findings)


@pytest.mark.parametrize("workspace", WORKSPACES)
def test_parliament_reports_nothing_outside_the_allowlist(synth_of, workspace: str) -> None:  # type: ignore[no-untyped-def]
    stacks = Stacks.of(synth_of(workspace))
    assert sum(1 for _ in policies(stacks)) >= 8  # the gate really sees the documents
    findings = new_findings("parliament", gates.parliament_findings(stacks))
    assert findings == [], "\n".join(findings)


def test_every_reference_in_a_policy_resolves(stacks: Stacks) -> None:
    unresolved = [p.where for p in policies(stacks) if "unresolved-" in json.dumps(p.document)]
    assert unresolved == []


def test_prod_keeps_logs_a_year_and_caps_concurrency(prod: Synth) -> None:
    # The reasons given for skipping CKV_AWS_338 / CKV_AWS_115 in .checkov.yaml.
    stacks = Stacks.of(prod)
    assert all(b["retention_in_days"] >= 365 for *_, b in stacks.resources("aws_cloudwatch_log_group"))
    reserved = {b["function_name"]: b.get("reserved_concurrent_executions")
                for *_, b in stacks.resources("aws_lambda_function")}
    # Reserved only where it protects something (stacks/quotas.py): the API's ingest capacity, the table's budget.
    assert {n for n, v in reserved.items() if v is not None} == {"txnpipe-api-ingest-prod", "txnpipe-load-transactions-prod"}


def test_every_bucket_but_the_access_log_bucket_uses_the_cmk(stacks: Stacks) -> None:
    # The reason given for skipping CKV_AWS_145.
    for concern, _, name, body in stacks.resources("aws_s3_bucket_server_side_encryption_configuration"):
        rule = body["rule"][0]["apply_server_side_encryption_by_default"]
        if "access-logs" in name:
            assert rule["sse_algorithm"] == "AES256"
        else:
            assert rule["sse_algorithm"] == "aws:kms" and rule["kms_master_key_id"], (concern, name)


# -- each gate can fail ------------------------------------------------------------------
def _resource(stacks: Stacks, type_: str, contains: str = "") -> tuple[str, str, dict[str, Any]]:
    for concern, _, name, body in stacks.resources(type_):
        if contains in name:
            return concern, name, body
    raise AssertionError(f"no {type_} containing {contains!r}")


def test_a_bucket_without_its_tls_policy_fails(stacks: Stacks) -> None:
    broken = stacks.copy()
    concern, name, _ = _resource(broken, "aws_s3_bucket_policy", "raw")
    del broken.docs[concern]["resource"]["aws_s3_bucket_policy"][name]
    findings = gates.encryption_and_tls(broken)
    assert len(findings) == 1 and "raw" in findings[0] and "SecureTransport" in findings[0]


def test_a_bucket_policy_that_allows_plain_http_fails(stacks: Stacks) -> None:
    broken = stacks.copy()
    _, _, body = _resource(broken, "aws_s3_bucket_policy", "processed")
    doc = json.loads(body["policy"])
    doc["Statement"] = [s for s in doc["Statement"] if s["Sid"] != "DenyInsecureTransport"]
    body["policy"] = json.dumps(doc)
    assert any("processed" in f for f in gates.encryption_and_tls(broken))


def test_a_queue_that_loses_its_dlq_fails() -> None:
    # A work queue redriving to its DLQ (the stacks have none: every queue they create is a DLQ),
    # then the redrive policy removed.
    stack = {"resource": {
        "aws_sqs_queue": {
            "work": {"name": "txnpipe-work-local", "kms_master_key_id": "${aws_kms_key.k.arn}",
                     "redrive_policy": '{"deadLetterTargetArn":"${aws_sqs_queue.dlq.arn}","maxReceiveCount":5}'},
            "dlq": {"name": "txnpipe-work-dlq-local", "kms_master_key_id": "${aws_kms_key.k.arn}"},
        },
        "aws_kms_key": {"k": {}},
    }}
    healthy = Stacks({"processing": stack})
    assert gates.failure_destinations(healthy) == []
    broken = healthy.copy()
    del broken.docs["processing"]["resource"]["aws_sqs_queue"]["work"]["redrive_policy"]
    findings = gates.failure_destinations(broken)
    assert len(findings) == 2 and all("no redrive policy" in f for f in findings)  # the queue, and the orphan DLQ


def test_a_real_queue_that_loses_its_dlq_fails(stacks: Stacks) -> None:
    queues = [(c, n, b) for c, _, n, b in stacks.resources("aws_sqs_queue") if b.get("redrive_policy")]
    if not queues:
        pytest.skip("no queue with a DLQ synthesized yet (covered by the constructed case above)")
    broken = stacks.copy()
    concern, name, _ = queues[0]
    del broken.docs[concern]["resource"]["aws_sqs_queue"][name]["redrive_policy"]
    assert any(name in f for f in gates.failure_destinations(broken))


def test_a_role_that_gains_s3_star_fails(stacks: Stacks) -> None:
    broken = stacks.copy()
    _concern, _, body = _resource(broken, "aws_iam_role_policy", "file-status_policy-data")
    doc = json.loads(body["policy"])
    doc["Statement"].append({"Sid": "Oops", "Effect": "Allow", "Action": ["s3:*"], "Resource": "*"})
    body["policy"] = json.dumps(doc)
    assert any("'s3:*'" in f for f in gates.wildcard_actions(broken))
    assert any("Oops" in f for f in gates.star_resources(broken))


def test_pass_role_on_star_fails(stacks: Stacks) -> None:
    broken = stacks.copy()
    _, _, body = _resource(broken, "aws_iam_role_policy", "file-status_policy-data")
    doc = json.loads(body["policy"])
    doc["Statement"].append({"Sid": "Pass", "Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"})
    body["policy"] = json.dumps(doc)
    assert any("iam:PassRole on '*'" in f for f in gates.wildcard_actions(broken))


def test_an_unencrypted_topic_fails(stacks: Stacks) -> None:
    broken = stacks.copy()
    _, _, body = _resource(broken, "aws_sns_topic", "alerts")
    del body["kms_master_key_id"]
    assert any("not encrypted" in f for f in gates.encryption_and_tls(broken))


def test_an_event_target_without_dlq_and_a_stream_mapping_without_destination_fail(stacks: Stacks) -> None:
    broken = stacks.copy()
    broken.docs["processing"]["resource"].setdefault("aws_cloudwatch_event_target", {})["t"] = {
        "rule": "r", "arn": "arn:aws:states:us-east-1:123456789012:stateMachine:x"}
    broken.docs["api"].setdefault("resource", {}).setdefault("aws_lambda_event_source_mapping", {})["m"] = {
        "event_source_arn": "arn:aws:dynamodb:us-east-1:123456789012:table/t/stream/x", "function_name": "f"}
    findings = gates.failure_destinations(broken)
    assert any("event target t" in f for f in findings) and any("mapping m" in f for f in findings)


def test_a_log_group_without_the_cmk_or_with_other_retention_fails(stacks: Stacks) -> None:
    broken = stacks.copy()
    _, _, body = _resource(broken, "aws_cloudwatch_log_group")
    del body["kms_key_id"]
    body["retention_in_days"] = 3653
    assert len(gates.log_groups(broken, 7)) == 2


def test_parliament_gate_can_fail(stacks: Stacks) -> None:
    broken = stacks.copy()
    _, _, body = _resource(broken, "aws_iam_role_policy", "file-status_policy-data")
    doc = json.loads(body["policy"])
    doc["Statement"].append({"Sid": "Typo", "Effect": "Allow", "Action": "dynamodb:UpdateItems",
                             "Resource": "arn:aws:dynamodb:us-east-1:123456789012:table/x"})
    body["policy"] = json.dumps(doc)
    assert any("UNKNOWN_ACTION" in f for f in gates.parliament_findings(broken))


def test_a_real_event_target_or_schedule_that_loses_its_dlq_fails(stacks: Stacks) -> None:
    edges = [(c, t, n) for t in ("aws_cloudwatch_event_target", "aws_scheduler_schedule")
             for c, _, n, _ in stacks.resources(t)]
    if not edges:
        pytest.skip("no EventBridge target or schedule synthesized yet (covered by the constructed case above)")
    for concern, type_, name in edges:
        broken = stacks.copy()
        body = broken.docs[concern]["resource"][type_][name]
        holder = body["target"][0] if type_ == "aws_scheduler_schedule" and isinstance(body["target"], list) else (
            body["target"] if type_ == "aws_scheduler_schedule" else body)
        holder.pop("dead_letter_config")
        assert any(name in f for f in gates.failure_destinations(broken)), (type_, name)


def test_a_service_writer_the_key_policy_forgets_fails(stacks: Stacks) -> None:
    broken = stacks.copy()
    _, _, body = _resource(broken, "aws_kms_key")
    doc = json.loads(body["policy"])
    for statement in doc["Statement"]:
        services = statement.get("Principal", {}).get("Service")
        if isinstance(services, list) and "events.amazonaws.com" in services:
            services.remove("events.amazonaws.com")
    body["policy"] = json.dumps(doc)
    findings = gates.service_writers_can_use_the_key(broken)
    assert any("events.amazonaws.com" in f and "alerts" in f for f in findings)


def test_a_role_anyone_may_assume_or_a_public_queue_fails(stacks: Stacks) -> None:
    broken = stacks.copy()
    _, _, role = _resource(broken, "aws_iam_role", "file-status")
    trust = json.loads(role["assume_role_policy"])
    trust["Statement"][0]["Principal"] = {"AWS": "*"}
    role["assume_role_policy"] = json.dumps(trust)
    _, _, topic_policy = _resource(broken, "aws_sns_topic_policy")
    doc = json.loads(topic_policy["policy"])
    doc["Statement"].append({"Sid": "Open", "Effect": "Allow", "Principal": "*", "Action": "sns:Publish",
                             "Resource": "*"})
    topic_policy["policy"] = json.dumps(doc)
    findings = gates.principals(broken)
    assert any("non-service principal" in f for f in findings) and any("Open" in f for f in findings)

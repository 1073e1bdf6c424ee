"""Security and reliability gates over synthesized stacks: each returns a list of findings (empty = pass).

Pure functions of `Stacks`, so the tests run them on the real synth and on mutated copies
(proving each gate fails when it should).
"""

from __future__ import annotations

import json
from typing import Any

from tests.security.tfjson import FoundPolicy, Stacks, as_list, policies

# Actions AWS only grants on Resource "*" (no resource-level permissions), each with why.
STAR_ONLY_ACTIONS = {
    "xray:PutTraceSegments": "X-Ray has no resource-level permissions",
    "xray:PutTelemetryRecords": "X-Ray has no resource-level permissions",
    "cloudwatch:PutMetricData": "CloudWatch metrics have no resource ARNs (scoped by cloudwatch:namespace condition)",
    "logs:CreateLogDelivery": "vended log delivery (Step Functions/API logging) is only grantable on *",
    "logs:GetLogDelivery": "vended log delivery (Step Functions/API logging) is only grantable on *",
    "logs:UpdateLogDelivery": "vended log delivery (Step Functions/API logging) is only grantable on *",
    "logs:DeleteLogDelivery": "vended log delivery (Step Functions/API logging) is only grantable on *",
    "logs:ListLogDeliveries": "vended log delivery (Step Functions/API logging) is only grantable on *",
    "logs:PutResourcePolicy": "vended log delivery (Step Functions/API logging) is only grantable on *",
    "logs:DescribeResourcePolicies": "vended log delivery (Step Functions/API logging) is only grantable on *",
    "logs:DescribeLogGroups": "vended log delivery (Step Functions/API logging) is only grantable on *",
    "xray:GetSamplingRules": "X-Ray has no resource-level permissions (Step Functions tracing)",
    "xray:GetSamplingTargets": "X-Ray has no resource-level permissions (Step Functions tracing)",
    "dynamodb:ListStreams": "ListStreams has no resource-level permissions (stream event source mappings)",
}
# In a KMS key policy, Resource "*" means "this key"; `kms:*` for the account root is AWS's default
# delegation to IAM. Only there.
KEY_POLICY_TYPES = {"aws_kms_key"}
# Parliament findings we accept: (issue, resource type, text in the detail) -> reason. Nothing else passes.
PARLIAMENT_ALLOWED: dict[tuple[str, str, str], str] = {
    ("RESOURCE_STAR", "aws_kms_key", ""):
        "in a key policy Resource '*' means the key itself",
    ("UNKNOWN_CONDITION_FOR_ACTION", "aws_kms_key", "kms:EncryptionContext:aws:logs:arn"):
        "AWS's documented key-policy statement for CloudWatch Logs (scoped by the log-group ARN context)",
    ("MISMATCHED_TYPE", "aws_kms_key", "ArnLike requires a value of type Arn but given String"):
        "aws:logs:arn context values are ARNs; parliament types the context key as String",
    ("MISMATCHED_TYPE", "aws_s3_bucket_policy", "s3:TlsVersion requires a value of type Numeric"):
        "parliament's Numeric check accepts integers only; AWS compares s3:TlsVersion with 1.2",
    ("MISMATCHED_TYPE_BUT_USABLE", "aws_s3_bucket_policy", "StringNotEquals requires a value of type String but given Arn"):
        "s3:x-amz-server-side-encryption-aws-kms-key-id is a String key whose value is the key ARN (AWS's documented form)",
    ("RESOURCE_MISMATCH", "aws_iam_role_policy",
     "'action': 'states:DescribeExecution', 'required_format': 'arn:*:states:*:*:express"):
        "Distributed Map child executions are execution:<machine>/<map run>:<id>; AWS documents execution:<machine>/* for them",
    ("UNKNOWN_CONDITION_FOR_ACTION", "aws_s3_bucket_policy", "Unknown condition s3:TlsVersion"):
        "Deny s3:* also names actions without s3:TlsVersion; such a deny cannot widen access, "
        "and the aws:SecureTransport deny covers them",
}

TLS_CONDITION_KEY = "aws:SecureTransport"


def _allow(statement: dict[str, Any]) -> bool:
    return statement.get("Effect") == "Allow"


# -- IAM ---------------------------------------------------------------------------------
def star_resources(stacks: Stacks) -> list[str]:
    """Allow statements on Resource '*' whose actions are not all in STAR_ONLY_ACTIONS (key policies aside)."""
    findings = []
    for p in policies(stacks):
        if p.type in KEY_POLICY_TYPES or p.attribute == "assume_role_policy":
            continue
        for s in filter(_allow, p.statements):
            if "*" in as_list(s.get("Resource")):
                extra = [a for a in as_list(s.get("Action")) if a not in STAR_ONLY_ACTIONS]
                if extra:
                    findings.append(f"{p.where} {s.get('Sid', '')}: {extra} on Resource '*'")
    return findings


def wildcard_actions(stacks: Stacks) -> list[str]:
    """`*`, `service:*` or iam:PassRole on '*' in an Allow (key policy's account-root `kms:*` aside)."""
    findings = []
    for p in policies(stacks):
        for s in filter(_allow, p.statements):
            for action in as_list(s.get("Action")):
                if action == "*" or (action.endswith(":*") and p.type not in KEY_POLICY_TYPES):
                    findings.append(f"{p.where} {s.get('Sid', '')}: wildcard action {action!r}")
                if action.lower() in ("iam:passrole", "iam:*") and "*" in as_list(s.get("Resource")):
                    findings.append(f"{p.where} {s.get('Sid', '')}: iam:PassRole on '*'")
            if s.get("NotAction") or s.get("NotResource"):
                findings.append(f"{p.where} {s.get('Sid', '')}: NotAction/NotResource in an Allow")
    return findings


def principals(stacks: Stacks) -> list[str]:
    """Trust policies name a service (or an account); no Allow is open to Principal '*' without a condition."""
    findings = []
    for p in policies(stacks):
        for s in filter(_allow, p.statements):
            principal = s.get("Principal")
            values = [principal] if isinstance(principal, str) else [
                v for vs in (principal or {}).values() for v in as_list(vs)]
            if "*" in values and not s.get("Condition"):
                findings.append(f"{p.where} {s.get('Sid', '')}: Allow to Principal '*' without a condition")
            if p.attribute == "assume_role_policy":
                if set((principal or {}) if isinstance(principal, dict) else {"*"}) - {"Service"}:
                    findings.append(f"{p.where} {s.get('Sid', '')}: role trusts a non-service principal {principal}")
                if as_list(s.get("Action")) != ["sts:AssumeRole"]:
                    findings.append(f"{p.where} {s.get('Sid', '')}: trust policy grants {s.get('Action')}")
    return findings


def parliament_findings(stacks: Stacks) -> list[str]:
    """What parliament reports for every document (minus PARLIAMENT_ALLOWED)."""
    from tests.security.parliament_compat import analyze

    findings: set[str] = set()
    for p in policies(stacks):
        for f in analyze(p):
            detail = str(f["detail"])
            if not any(issue == f["issue"] and type_ == p.type and text in detail
                       for issue, type_, text in PARLIAMENT_ALLOWED):
                findings.add(f"{p.where}: {f['issue']} {detail[:200]}")
    return sorted(findings)


# -- encryption and TLS ------------------------------------------------------------------
def _denies_insecure_transport(policy: FoundPolicy) -> bool:
    for s in policy.statements:
        bool_condition = (s.get("Condition") or {}).get("Bool", {})
        if s.get("Effect") == "Deny" and str(bool_condition.get(TLS_CONDITION_KEY, "")).lower() == "false":
            return True
    return False


def _policies_for(stacks: Stacks, policy_type: str, pointer: str, target_type: str) -> dict[str, list[FoundPolicy]]:
    out: dict[str, list[FoundPolicy]] = {}
    by_key = {(p.concern, p.name): p for p in policies(stacks) if p.type == policy_type}
    for concern, _, name, body in stacks.resources(policy_type):
        for target in stacks.points_at(concern, body.get(pointer), target_type):
            if (concern, name) in by_key:
                out.setdefault(target, []).append(by_key[(concern, name)])
    return out


def encryption_and_tls(stacks: Stacks) -> list[str]:
    """Every bucket, queue and topic denies non-TLS requests; queues and topics use a KMS key."""
    findings = []
    checks = (
        ("aws_s3_bucket", "aws_s3_bucket_policy", "bucket"),
        ("aws_sqs_queue", "aws_sqs_queue_policy", "queue_url"),
        ("aws_sns_topic", "aws_sns_topic_policy", "arn"),
    )
    for resource_type, policy_type, pointer in checks:
        attached = _policies_for(stacks, policy_type, pointer, resource_type)
        for concern, _, name, body in stacks.resources(resource_type):
            if not any(_denies_insecure_transport(p) for p in attached.get(f"{concern}/{name}", [])):
                findings.append(f"{concern}:{resource_type}.{name}: no policy denying aws:SecureTransport=false")
            if resource_type != "aws_s3_bucket" and not body.get("kms_master_key_id"):
                findings.append(f"{concern}:{resource_type}.{name}: not encrypted with a KMS key")
    return findings


def service_writers_can_use_the_key(stacks: Stacks) -> list[str]:
    """A service allowed to write into a CMK-encrypted topic/queue must be allowed to use that key.

    Otherwise the write fails at run time (CloudWatch alarm notifications to an SSE-KMS topic
    are dropped silently).
    """
    from fnmatch import fnmatchcase

    key_policies = {stacks.value(p.concern, f"aws_kms_key.{p.name}.arn"): p for p in policies(stacks)
                    if p.type == "aws_kms_key"}
    findings = []
    for resource_type, policy_type, pointer in (("aws_sns_topic", "aws_sns_topic_policy", "arn"),
                                                ("aws_sqs_queue", "aws_sqs_queue_policy", "queue_url")):
        attached = _policies_for(stacks, policy_type, pointer, resource_type)
        for concern, _, name, body in stacks.resources(resource_type):
            key = stacks.resolve(concern, body.get("kms_master_key_id") or "")
            key_policy = key_policies.get(key)
            if key_policy is None:
                continue
            writers = {svc for p in attached.get(f"{concern}/{name}", []) for s in filter(_allow, p.statements)
                       for svc in as_list((s.get("Principal") or {}).get("Service"))}
            for service in sorted(writers):
                for needed in ("kms:GenerateDataKey", "kms:Decrypt"):
                    if not any(service in as_list((s.get("Principal") or {}).get("Service"))
                               and any(fnmatchcase(needed, a) for a in as_list(s.get("Action")))
                               for s in filter(_allow, key_policy.statements)):
                        findings.append(f"{concern}:{resource_type}.{name}: {service} may write to it but the key "
                                        f"policy does not allow it {needed}")
    return findings


def log_groups(stacks: Stacks, retention_days: int) -> list[str]:
    """Every log group keeps the workspace's retention and is encrypted with the CMK; every function has one."""
    findings = []
    names = set()
    for concern, _, name, body in stacks.resources("aws_cloudwatch_log_group"):
        names.add(stacks.resolve(concern, body.get("name")))
        if body.get("retention_in_days") != retention_days:
            findings.append(f"{concern}:log group {name}: retention {body.get('retention_in_days')} != {retention_days}")
        if not body.get("kms_key_id"):
            findings.append(f"{concern}:log group {name}: not encrypted with the CMK")
    for concern, _, name, body in stacks.resources("aws_lambda_function"):
        if f"/aws/lambda/{stacks.resolve(concern, body['function_name'])}" not in names:
            findings.append(f"{concern}:function {name}: no managed log group")
    for concern, _, name, body in stacks.resources("aws_sfn_state_machine"):
        logging = (body.get("logging_configuration") or [{}])
        logging = logging[0] if isinstance(logging, list) else logging
        if not logging.get("log_destination") or logging.get("level", "OFF") == "OFF":
            findings.append(f"{concern}:state machine {name}: no execution logging")
    return findings


# -- failure destinations ------------------------------------------------------------------
def _dlq_arns(stacks: Stacks) -> set[str]:
    """Resolved ARNs used as a failure destination anywhere (redrive, dead_letter_config, on_failure)."""
    out: set[str] = set()

    def walk(concern: str, node: Any, parent: str = "") -> None:
        if isinstance(node, dict):
            if parent in ("dead_letter_config", "on_failure"):
                for key in ("arn", "target_arn", "destination", "destination_arn"):
                    if isinstance(node.get(key), str):
                        out.add(stacks.resolve(concern, node[key]))
            for key, value in node.items():
                walk(concern, value, key)
        elif isinstance(node, list):
            for value in node:
                walk(concern, value, parent)

    for concern, type_, _, body in stacks.resources():
        walk(concern, body)
        if type_ == "aws_sqs_queue" and body.get("redrive_policy"):
            out.add(json.loads(stacks.resolve(concern, body["redrive_policy"]))["deadLetterTargetArn"])
    return out


def failure_destinations(stacks: Stacks) -> list[str]:
    """Every asynchronous edge has somewhere to put what it could not deliver."""
    findings = []
    dlqs = _dlq_arns(stacks)
    for concern, _, name, body in stacks.resources("aws_sqs_queue"):
        arn = stacks.value(concern, f"aws_sqs_queue.{name}.arn")
        if not body.get("redrive_policy") and arn not in dlqs:
            findings.append(f"{concern}:queue {name}: no redrive policy (DLQ) and is nobody's DLQ")
    for concern, _, name, body in stacks.resources("aws_cloudwatch_event_target"):
        if not _first(body.get("dead_letter_config")).get("arn"):
            findings.append(f"{concern}:event target {name}: no dead_letter_config")
    for concern, _, name, body in stacks.resources("aws_scheduler_schedule"):
        target = _first(body.get("target"))
        if not _first(target.get("dead_letter_config")).get("arn"):
            findings.append(f"{concern}:schedule {name}: target has no dead_letter_config")
    for concern, _, name, body in stacks.resources("aws_lambda_event_source_mapping"):
        source = stacks.resolve(concern, body.get("event_source_arn", ""))
        on_failure = _first(_first(body.get("destination_config")).get("on_failure")).get("destination_arn")
        if ":sqs:" in source:
            queue = next((b for c, _, n, b in stacks.resources("aws_sqs_queue")
                          if stacks.value(c, f"aws_sqs_queue.{n}.arn") == source), None)
            if queue is not None and not queue.get("redrive_policy"):
                findings.append(f"{concern}:mapping {name}: source queue has no redrive policy")
        elif not on_failure:
            findings.append(f"{concern}:mapping {name}: stream source without an on-failure destination")
    async_functions = _async_invoked(stacks)
    configs = {stacks.resolve(c, b.get("function_name")): b for c, _, _, b in
               stacks.resources("aws_lambda_function_event_invoke_config")}
    for concern, _, name, body in stacks.resources("aws_lambda_function"):
        fn = stacks.resolve(concern, body["function_name"])
        arn = stacks.value(concern, f"aws_lambda_function.{name}.arn")
        if fn not in async_functions and arn not in async_functions:
            continue
        cfg = configs.get(fn) or configs.get(arn) or {}
        on_failure = _first(_first(cfg.get("destination_config")).get("on_failure")).get("destination")
        if not on_failure and not _first(body.get("dead_letter_config")).get("target_arn"):
            findings.append(f"{concern}:function {name}: invoked asynchronously without on-failure destination/DLQ")
    return findings


def _first(value: Any) -> dict[str, Any]:
    if isinstance(value, list):
        return value[0] if value else {}
    return value or {}


def _async_invoked(stacks: Stacks) -> set[str]:
    """Functions (name or ARN) invoked asynchronously: by S3/SNS/EventBridge/Scheduler."""
    out: set[str] = set()
    for concern, _, _, body in stacks.resources("aws_lambda_permission"):
        if body.get("principal") in ("s3.amazonaws.com", "sns.amazonaws.com", "events.amazonaws.com",
                                     "scheduler.amazonaws.com"):
            out.add(stacks.resolve(concern, body.get("function_name")))
    for concern, _, _, body in stacks.resources("aws_sns_topic_subscription"):
        if body.get("protocol") == "lambda":
            out.add(stacks.resolve(concern, body.get("endpoint")))
    # EventBridge rules and Scheduler invoke Lambda targets asynchronously (InvocationType Event): their DLQ
    # only catches failed *deliveries*; a failing function needs its own on-failure destination.
    for concern, _, _, body in stacks.resources("aws_cloudwatch_event_target"):
        out.add(stacks.resolve(concern, body.get("arn")))
    for concern, _, _, body in stacks.resources("aws_scheduler_schedule"):
        out.add(stacks.resolve(concern, _first(body.get("target")).get("arn")))
    return out


def all_gates(stacks: Stacks, *, retention_days: int) -> dict[str, list[str]]:
    """Every structural gate (not checkov/parliament), by name."""
    return {
        "star_resources": star_resources(stacks),
        "wildcard_actions": wildcard_actions(stacks),
        "principals": principals(stacks),
        "encryption_and_tls": encryption_and_tls(stacks),
        "service_writers_can_use_the_key": service_writers_can_use_the_key(stacks),
        "failure_destinations": failure_destinations(stacks),
        "log_groups": log_groups(stacks, retention_days),
    }

"""IAM sufficiency: run a handler under its own synthesized role policy and check every AWS call it makes.

Two layers, because moto enforces IAM faithfully only for S3 and SQS:

* moto: the function's role is created in moto with its synthesized inline policies (references
  replaced by the moto resources' real ARNs), assumed, and the handler runs on those credentials
  with `enable_iam_authentication()`; a missing S3/SQS permission raises AccessDenied.
* a botocore `before-parameter-build` hook records (service, operation, resource) of every call, maps it to
  the IAM action(s) it needs (including the KMS actions a CMK-encrypted bucket/queue/topic implies)
  and evaluates them against the same statements (Allow matches, no Deny matches; conditions are
  not evaluated). `Run.denied` lists what the policy would refuse.

Use from any handler test:

    fn = function_under_test(stacks, "file_status")          # synthesized env + policies
    with run_as(fn, monkeypatch) as run:                     # inside a moto mock
        handler(event, context)
    assert run.denied == [] and run.actions == {...}
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from typing import Any

import boto3
import pytest

from tests.security.tfjson import ACCOUNT, REGION, Stacks, as_list, role_policies

# Operations whose IAM action is not `<prefix>:<OperationName>`.
ACTION_OF = {
    ("s3", "HeadObject"): ["s3:GetObject"],
    ("s3", "ListObjectsV2"): ["s3:ListBucket"],
    ("s3", "ListObjects"): ["s3:ListBucket"],
    ("s3", "HeadBucket"): ["s3:ListBucket"],
    ("s3", "CreateMultipartUpload"): ["s3:PutObject"],
    ("s3", "UploadPart"): ["s3:PutObject"],
    ("s3", "CompleteMultipartUpload"): ["s3:PutObject"],
    ("s3", "AbortMultipartUpload"): ["s3:AbortMultipartUpload"],
    ("s3", "DeleteObjects"): ["s3:DeleteObject"],
    ("s3", "CopyObject"): ["s3:PutObject"],
    ("s3", "SelectObjectContent"): ["s3:GetObject"],
    ("sqs", "SendMessageBatch"): ["sqs:SendMessage"],
    ("sqs", "DeleteMessageBatch"): ["sqs:DeleteMessage"],
    ("sqs", "ChangeMessageVisibilityBatch"): ["sqs:ChangeMessageVisibility"],
    ("lambda", "Invoke"): ["lambda:InvokeFunction"],
    ("lambda", "InvokeAsync"): ["lambda:InvokeFunction"],
}
PREFIX = {"stepfunctions": "states", "cloudwatch": "cloudwatch", "logs": "logs"}
# Calls that never reach a policy decision of the function's role.
UNCHECKED = {("sts", "GetCallerIdentity")}
# KMS actions a call implies when the resource is encrypted with a CMK.
KMS_FOR = {
    ("s3", "PutObject"): ["kms:GenerateDataKey"], ("s3", "CreateMultipartUpload"): ["kms:GenerateDataKey"],
    ("s3", "UploadPart"): ["kms:GenerateDataKey"], ("s3", "CompleteMultipartUpload"): ["kms:GenerateDataKey"],
    ("s3", "CopyObject"): ["kms:GenerateDataKey", "kms:Decrypt"],
    ("s3", "GetObject"): ["kms:Decrypt"], ("s3", "HeadObject"): ["kms:Decrypt"],
    ("s3", "SelectObjectContent"): ["kms:Decrypt"],
    ("sqs", "SendMessage"): ["kms:GenerateDataKey", "kms:Decrypt"],
    ("sqs", "SendMessageBatch"): ["kms:GenerateDataKey", "kms:Decrypt"],
    ("sqs", "ReceiveMessage"): ["kms:Decrypt"],
    ("sns", "Publish"): ["kms:GenerateDataKey", "kms:Decrypt"],
}


@dataclass(frozen=True)
class Call:
    """One AWS call as IAM sees it."""

    service: str
    operation: str
    action: str
    resource: str

    def __str__(self) -> str:
        return f"{self.action} on {self.resource} ({self.service}.{self.operation})"


@dataclass
class FunctionUnderTest:
    """What a synthesized function runs with: environment, role and inline policies (resolved)."""

    handler: str  # e.g. "file_status"
    function_name: str
    role_name: str
    environment: dict[str, str]
    documents: list[dict[str, Any]]
    encrypted: dict[str, str] = field(default_factory=dict)  # resource ARN -> CMK ARN (buckets, queues, topics)

    def without(self, *actions: str) -> FunctionUnderTest:
        """A copy whose policies no longer grant `actions` (to prove the gate fails)."""
        docs = json.loads(json.dumps(self.documents))
        for doc in docs:
            for s in doc["Statement"]:
                s["Action"] = [a for a in as_list(s.get("Action")) if a not in actions]
            doc["Statement"] = [s for s in doc["Statement"] if s["Action"]]
        return FunctionUnderTest(self.handler, self.function_name, self.role_name, self.environment, docs,
                                 self.encrypted)

    def allows(self, action: str, resource: str) -> bool:
        statements = [s for d in self.documents for s in as_list(d.get("Statement"))]

        def matches(s: dict[str, Any]) -> bool:
            acts = as_list(s.get("Action"))
            res = as_list(s.get("Resource"))
            return (any(fnmatchcase(action.lower(), a.lower()) for a in acts)
                    and any(fnmatchcase(resource, r) for r in res))

        if any(matches(s) for s in statements if s.get("Effect") == "Deny"):
            return False
        return any(matches(s) for s in statements if s.get("Effect") == "Allow")


def function_under_test(stacks: Stacks, handler: str) -> FunctionUnderTest:
    """The synthesized function whose code is `functions/<handler>/handler.py`."""
    found = [(c, n, b) for c, _, n, b in stacks.resources("aws_lambda_function")
             if b.get("handler") == f"{handler}.handler.handler"]
    assert len(found) == 1, f"expected one synthesized function for handler {handler!r}, found {len(found)}"
    concern, _, body = found[0]
    (role,) = stacks.points_at(concern, body["role"], "aws_iam_role")
    role_concern, role_resource = role.split("/")
    role_body = stacks.body(role_concern, "aws_iam_role", role_resource) or {}
    variables = ((body.get("environment") or [{}])[0] if isinstance(body.get("environment"), list)
                 else body.get("environment") or {}).get("variables", {})
    encrypted: dict[str, str] = {}
    for c, type_, n, b in stacks.resources():
        if type_ in ("aws_sqs_queue", "aws_sns_topic") and b.get("kms_master_key_id"):
            encrypted[stacks.value(c, f"{type_}.{n}.arn")] = stacks.resolve(c, b["kms_master_key_id"])
        if type_ == "aws_s3_bucket_server_side_encryption_configuration":
            rule = b["rule"][0]["apply_server_side_encryption_by_default"]
            if rule.get("kms_master_key_id"):
                bucket = stacks.resolve(c, b["bucket"])
                encrypted[f"arn:aws:s3:::{bucket}"] = stacks.resolve(c, rule["kms_master_key_id"])
    return FunctionUnderTest(
        handler=handler, function_name=stacks.resolve(concern, body["function_name"]),
        role_name=stacks.resolve(role_concern, role_body.get("name", role_resource)),
        environment={k: stacks.resolve(concern, v) for k, v in variables.items()},
        documents=[p.document for p in role_policies(stacks).get(role, [])],
        encrypted=encrypted,
    )


# -- operation -> (action, resource) --------------------------------------------------------
def calls_of(service: str, operation: str, params: dict[str, Any]) -> list[Call]:
    """The IAM (action, resource) pairs one API call needs."""
    if (service, operation) in UNCHECKED:
        return []
    prefix = PREFIX.get(service, service)
    actions = ACTION_OF.get((service, operation), [f"{prefix}:{operation}"])
    out = [Call(service, operation, a, r) for a in actions for r in _resources(service, operation, params)]
    if service == "dynamodb" and operation == "TransactWriteItems":
        out = []
        for item in params.get("TransactItems", []):
            for kind, body in item.items():
                action = {"Put": "PutItem", "Update": "UpdateItem", "Delete": "DeleteItem",
                          "ConditionCheck": "ConditionCheckItem"}[kind]
                out.append(Call(service, operation, f"dynamodb:{action}", _table(body["TableName"])))
    return out


def _table(name: str, index: str | None = None) -> str:
    arn = name if name.startswith("arn:") else f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/{name}"
    return f"{arn}/index/{index}" if index else arn


def _resources(service: str, operation: str, p: dict[str, Any]) -> list[str]:
    if service == "dynamodb":
        if "RequestItems" in p:
            return [_table(t) for t in p["RequestItems"]]
        if "TableName" in p:
            return [_table(p["TableName"], p.get("IndexName"))]
    if service == "s3" and "Bucket" in p:
        if "Key" in p and operation not in ("ListObjectsV2", "ListObjects", "HeadBucket"):
            return [f"arn:aws:s3:::{p['Bucket']}/{p['Key']}"]
        if operation == "DeleteObjects":
            return [f"arn:aws:s3:::{p['Bucket']}/{o['Key']}" for o in p["Delete"]["Objects"]]
        return [f"arn:aws:s3:::{p['Bucket']}"]
    if service == "sqs" and "QueueUrl" in p:
        return [f"arn:aws:sqs:{REGION}:{ACCOUNT}:{p['QueueUrl'].rstrip('/').split('/')[-1]}"]
    if service == "sns":
        return [p.get("TopicArn") or p.get("TargetArn") or "*"]
    if service == "stepfunctions":
        return [p.get("stateMachineArn") or p.get("executionArn") or "*"]
    if service == "events" and operation == "PutEvents":
        buses = {e.get("EventBusName", "default") for e in p.get("Entries", [])}
        return [b if b.startswith("arn:") else f"arn:aws:events:{REGION}:{ACCOUNT}:event-bus/{b}" for b in buses]
    if service == "lambda" and "FunctionName" in p:
        name = p["FunctionName"]
        return [name if name.startswith("arn:") else f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{name}"]
    return ["*"]


# -- running a handler under the role --------------------------------------------------------
@dataclass
class Run:
    """What a handler did while running under its role."""

    fn: FunctionUnderTest
    calls: list[Call] = field(default_factory=list)

    def record(self, model: Any, params: dict[str, Any], **_: Any) -> None:
        service = model.service_model.service_name
        for call in calls_of(service, model.name, params):
            self.calls.append(call)
            base = call.resource.split("/")[0] if call.service == "s3" else call.resource
            for kms_action in KMS_FOR.get((service, model.name), []):
                key = self.fn.encrypted.get(base)
                if key:
                    self.calls.append(Call(service, model.name, kms_action, key))

    @property
    def denied(self) -> list[str]:
        return sorted({str(c) for c in self.calls if not self.fn.allows(c.action, c.resource)})

    @property
    def actions(self) -> set[str]:
        return {c.action for c in self.calls}


def _assume(fn: FunctionUnderTest) -> dict[str, str]:
    """Create the function's role in moto with its synthesized policies and assume it."""
    iam = boto3.client("iam", region_name=REGION)
    trust = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}, "Action": "sts:AssumeRole"}]}
    iam.create_role(RoleName=fn.role_name, AssumeRolePolicyDocument=json.dumps(trust))
    for i, doc in enumerate(fn.documents):
        iam.put_role_policy(RoleName=fn.role_name, PolicyName=f"p{i}", PolicyDocument=json.dumps(doc))
    creds = boto3.client("sts", region_name=REGION).assume_role(
        RoleArn=f"arn:aws:iam::{ACCOUNT}:role/{fn.role_name}", RoleSessionName=fn.handler)["Credentials"]
    return {"AWS_ACCESS_KEY_ID": creds["AccessKeyId"], "AWS_SECRET_ACCESS_KEY": creds["SecretAccessKey"],
            "AWS_SESSION_TOKEN": creds["SessionToken"]}


# moto checks S3 and SQS against the real resource ARN; other services check against "*", which
# no least-privilege grant matches, so their enforcement is left to `Run.denied`.
MOTO_ENFORCED = ("moto.s3.", "moto.sqs.")


def _enforce_only_where_moto_is_faithful(monkeypatch: pytest.MonkeyPatch) -> None:
    from moto.core.responses import BaseResponse

    original = BaseResponse._authenticate_and_authorize_normal_action

    def authorize(self: BaseResponse, resource: str = "*") -> None:
        if type(self).__module__.startswith(MOTO_ENFORCED):
            original(self, resource)

    monkeypatch.setattr(BaseResponse, "_authenticate_and_authorize_normal_action", authorize)


@contextmanager
def run_as(fn: FunctionUnderTest, monkeypatch: pytest.MonkeyPatch) -> Iterator[Run]:
    """Inside a moto mock: the handler's environment, its role's credentials, IAM enforcement, a call recorder."""
    from moto.core.authorization import enable_iam_authentication

    from txnpipe import clients

    for key, value in {**fn.environment, **_assume(fn)}.items():
        monkeypatch.setenv(key, value)
    run = Run(fn)
    _enforce_only_where_moto_is_faithful(monkeypatch)
    # Sessions the handler creates itself (e.g. one per writer thread) are recorded too.
    original_init = boto3.session.Session.__init__

    def recorded_init(self: boto3.session.Session, *args: Any, **kwargs: Any) -> None:
        original_init(self, *args, **kwargs)
        self.events.register("before-parameter-build.*.*", run.record)

    monkeypatch.setattr(boto3.session.Session, "__init__", recorded_init)
    boto3.setup_default_session()
    assert boto3.DEFAULT_SESSION is not None
    clients.reset()
    try:
        with enable_iam_authentication():
            yield run
    finally:
        boto3.DEFAULT_SESSION.events.unregister("before-parameter-build.*.*", run.record)
        monkeypatch.setattr(boto3.session.Session, "__init__", original_init)
        clients.reset()

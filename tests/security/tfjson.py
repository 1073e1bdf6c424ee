"""Read synthesized stacks as data: resolve `${...}` references to plausible values, find every policy.

`Stacks` wraps `{concern: cdk.tf.json dict}` so the gates run the same on a real synth and on a
mutated copy. References are resolved through the resource bodies themselves (a table's ARN is
built from its `name`), and cross-stack reads (`data.terraform_remote_state...outputs.X`) through
the producing stack's output, so a resolved ARN equals the one AWS (or moto, account
123456789012) would give the resource.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from tests.synth import Synth

ACCOUNT = "123456789012"
REGION = "us-east-1"
REF = re.compile(r"\$\{([^{}]+)\}")
REMOTE = re.compile(r"^data\.terraform_remote_state\.([^.]+)\.outputs\.([^.]+)$")

# Attributes that carry (or point at) an IAM policy document.
POLICY_ATTRIBUTES = ("policy", "assume_role_policy")

# ARN templates by resource type: {n} = the resource's physical name.
_ARNS = {
    "aws_s3_bucket": "arn:aws:s3:::{n}",
    "aws_dynamodb_table": "arn:aws:dynamodb:{r}:{a}:table/{n}",
    "aws_sqs_queue": "arn:aws:sqs:{r}:{a}:{n}",
    "aws_sns_topic": "arn:aws:sns:{r}:{a}:{n}",
    "aws_lambda_function": "arn:aws:lambda:{r}:{a}:function:{n}",
    "aws_lambda_layer_version": "arn:aws:lambda:{r}:{a}:layer:{n}:1",
    "aws_iam_role": "arn:aws:iam::{a}:role/{n}",
    "aws_iam_policy": "arn:aws:iam::{a}:policy/{n}",
    "aws_cloudwatch_log_group": "arn:aws:logs:{r}:{a}:log-group:{n}",
    "aws_sfn_state_machine": "arn:aws:states:{r}:{a}:stateMachine:{n}",
    "aws_cloudwatch_event_bus": "arn:aws:events:{r}:{a}:event-bus/{n}",
    "aws_cloudwatch_event_rule": "arn:aws:events:{r}:{a}:rule/{n}",
    "aws_scheduler_schedule": "arn:aws:scheduler:{r}:{a}:schedule/default/{n}",
    "aws_scheduler_schedule_group": "arn:aws:scheduler:{r}:{a}:schedule-group/{n}",
    "aws_athena_workgroup": "arn:aws:athena:{r}:{a}:workgroup/{n}",
    "aws_glue_catalog_database": "arn:aws:glue:{r}:{a}:database/{n}",
    "aws_glue_catalog_table": "arn:aws:glue:{r}:{a}:table/{n}",
    "aws_cloudwatch_metric_alarm": "arn:aws:cloudwatch:{r}:{a}:alarm:{n}",
    "aws_api_gateway_rest_api": "arn:aws:apigateway:{r}::/restapis/{n}",
}
_NAME_ATTRIBUTES = ("name", "bucket", "function_name", "layer_name", "alarm_name", "name_prefix")


@dataclass
class Stacks:
    """The synthesized stacks of one workspace, as mutable data."""

    docs: dict[str, dict[str, Any]]
    workspace: str = "local"
    region: str = REGION
    account: str = ACCOUNT
    overrides: dict[str, str] = field(default_factory=dict)  # "type.name.attr" -> value

    @classmethod
    def of(cls, synth: Synth) -> Stacks:
        return cls({c: synth.stack(c) for c in synth.concerns}, workspace=synth.workspace)

    def copy(self) -> Stacks:
        return Stacks(copy.deepcopy(self.docs), self.workspace, self.region, self.account, dict(self.overrides))

    # -- iteration ---------------------------------------------------------------------
    def resources(self, type_: str | None = None) -> Iterator[tuple[str, str, str, dict[str, Any]]]:
        """(concern, type, name, body) of every resource (of `type_`)."""
        for concern, doc in self.docs.items():
            for t, items in doc.get("resource", {}).items():
                if type_ is None or t == type_:
                    for name, body in items.items():
                        yield concern, t, name, body

    def body(self, concern: str, type_: str, name: str) -> dict[str, Any] | None:
        return self.docs[concern].get("resource", {}).get(type_, {}).get(name)

    # -- references --------------------------------------------------------------------
    def target(self, concern: str, expression: str) -> tuple[str, str, str, str] | None:
        """(concern, type, name, attribute) a reference points at, following cross-stack outputs."""
        remote = REMOTE.match(expression)
        if remote:
            source = self._remote_source(concern, remote.group(1))
            value = self.docs.get(source, {}).get("output", {}).get(remote.group(2), {}).get("value", "")
            inner = REF.fullmatch(value) if isinstance(value, str) else None
            return self.target(source, inner.group(1)) if inner else None
        parts = expression.split(".")
        if parts[0] == "data" or len(parts) < 3:
            return None
        type_, name, attribute = parts[0], parts[1], ".".join(parts[2:])
        return (concern, type_, name, attribute) if self.body(concern, type_, name) is not None else None

    def _remote_source(self, concern: str, data_name: str) -> str:
        config = self.docs[concern].get("data", {}).get("terraform_remote_state", {}).get(data_name, {})
        path = str(config.get("config", {}).get("path") or config.get("config", {}).get("key") or data_name)
        for other in self.docs:
            if f"{other}-{self.workspace}" in path or path.rstrip("/").endswith(f"/{other}.tfstate"):
                return other
        return data_name.removeprefix("cross-stack-reference-input-").removesuffix(f"-{self.workspace}")

    def value(self, concern: str, expression: str) -> str:
        """A plausible value for `${expression}` as seen from `concern`."""
        if expression in self.overrides:
            return self.overrides[expression]
        if expression.startswith("data.aws_caller_identity.") and expression.endswith(".account_id"):
            return self.account
        if expression.startswith("data.aws_region."):
            return self.region
        if expression.startswith("data.aws_partition."):
            return "aws"
        if expression == "terraform.workspace":
            return "default"
        remote = REMOTE.match(expression)
        if remote:  # a cross-stack read: the producing stack's output, resolved there
            source = self._remote_source(concern, remote.group(1))
            output = self.docs.get(source, {}).get("output", {}).get(remote.group(2), {}).get("value")
            if isinstance(output, str):
                return str(self.resolve(source, output))
        found = self.target(concern, expression)
        if found is None:
            return f"unresolved-{hashlib.sha256(expression.encode()).hexdigest()[:8]}"
        src, type_, name, attribute = found
        key = f"{type_}.{name}.{attribute}"
        if key in self.overrides:
            return self.overrides[key]
        body = self.body(src, type_, name) or {}
        physical = self.resolve(src, next((body[a] for a in _NAME_ATTRIBUTES if isinstance(body.get(a), str)), name))
        arn = _ARNS.get(type_, "arn:aws:" + type_.removeprefix("aws_").split("_")[0] + ":{r}:{a}:{n}")
        if type_ == "aws_kms_key":
            physical = str(__import__("uuid").UUID(hashlib.md5(name.encode()).hexdigest()))  # noqa: S324
            arn = "arn:aws:kms:{r}:{a}:key/{n}"
        if type_ == "aws_cloudwatch_event_rule" and body.get("event_bus_name") not in (None, "default"):
            arn = "arn:aws:events:{r}:{a}:rule/" + self.resolve(src, body["event_bus_name"]).split("/")[-1] + "/{n}"
        full = arn.format(r=self.region, a=self.account, n=physical)
        return {
            "arn": full, "id": full if type_ in ("aws_sns_topic", "aws_sfn_state_machine") else physical,
            "stream_arn": f"{full}/stream/2026-01-01T00.00.00.000",  # real labels have ":" (parliament splits on them)
            "url": f"https://sqs.{self.region}.amazonaws.com/{self.account}/{physical}",
            "invoke_arn": f"arn:aws:apigateway:{self.region}:lambda:path/2015-03-31/functions/{full}/invocations",
            "execution_arn": f"arn:aws:execute-api:{self.region}:{self.account}:{physical}",
            "key_id": physical, "qualified_arn": f"{full}:1",
        }.get(attribute, physical)

    def resolve(self, concern: str, text: Any) -> Any:
        """`text` (str, list or dict) with every `${...}` replaced by a plausible value."""
        if isinstance(text, str):
            return REF.sub(lambda m: self.value(concern, m.group(1)), text)
        if isinstance(text, list):
            return [self.resolve(concern, t) for t in text]
        if isinstance(text, dict):
            return {k: self.resolve(concern, v) for k, v in text.items()}
        return text

    def points_at(self, concern: str, text: Any, type_: str) -> set[str]:
        """Names of `type_` resources that `text` references (directly or across stacks)."""
        out = set()
        for m in REF.finditer(json.dumps(text)):
            found = self.target(concern, m.group(1))
            if found and found[1] == type_:
                out.add(f"{found[0]}/{found[2]}")
        return out


@dataclass(frozen=True)
class FoundPolicy:
    """One policy document found in the synthesized JSON."""

    concern: str
    type: str
    name: str
    attribute: str
    document: dict[str, Any]  # references resolved

    @property
    def where(self) -> str:
        return f"{self.concern}:{self.type}.{self.name}.{self.attribute}"

    @property
    def statements(self) -> list[dict[str, Any]]:
        s = self.document.get("Statement", [])
        return s if isinstance(s, list) else [s]


def policies(stacks: Stacks) -> Iterator[FoundPolicy]:
    """Every IAM document: role trust and inline policies, managed policies, resource policies."""
    for concern, type_, name, body in stacks.resources():
        candidates: list[tuple[str, Any]] = [(a, body.get(a)) for a in POLICY_ATTRIBUTES]
        candidates += [(f"inline_policy[{i}]", p.get("policy")) for i, p in enumerate(body.get("inline_policy") or [])]
        for attribute, raw in candidates:
            if not isinstance(raw, str) or not raw.strip().startswith("{"):
                continue
            yield FoundPolicy(concern, type_, name, attribute, json.loads(stacks.resolve(concern, raw)))


def as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def role_policies(stacks: Stacks) -> Mapping[str, list[FoundPolicy]]:
    """Identity policies per role, keyed `concern/role_resource_name`."""
    out: dict[str, list[FoundPolicy]] = {}
    for p in policies(stacks):
        if p.type in ("aws_iam_role_policy",):
            body = stacks.body(p.concern, p.type, p.name) or {}
            for role in stacks.points_at(p.concern, body.get("role"), "aws_iam_role"):
                out.setdefault(role, []).append(p)
        elif p.type == "aws_iam_role" and p.attribute.startswith("inline_policy"):
            out.setdefault(f"{p.concern}/{p.name}", []).append(p)
    return out

"""Resolve the Terraform references of synthesized JSON to the values an apply would produce.

Used by tests that run synthesized definitions/policies against moto: names are taken from
the synthesized resources, ARNs are built from them for one account and region.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from tests.synth import Synth

ACCOUNT = "123456789012"
REGION = "us-east-1"
_REF = re.compile(r"\$\{([^{}]+)\}")
_NAME_ATTRIBUTES = ("name", "bucket", "function_name")
_ARN_FORMATS = {
    "aws_lambda_function": "arn:aws:lambda:{r}:{a}:function:{n}",
    "aws_s3_bucket": "arn:aws:s3:::{n}",
    "aws_dynamodb_table": "arn:aws:dynamodb:{r}:{a}:table/{n}",
    "aws_sns_topic": "arn:aws:sns:{r}:{a}:{n}",
    "aws_sqs_queue": "arn:aws:sqs:{r}:{a}:{n}",
    "aws_cloudwatch_event_bus": "arn:aws:events:{r}:{a}:event-bus/{n}",
    "aws_cloudwatch_event_rule": "arn:aws:events:{r}:{a}:rule/{n}",
    "aws_iam_role": "arn:aws:iam::{a}:role/{n}",
    "aws_cloudwatch_log_group": "arn:aws:logs:{r}:{a}:log-group:{n}",
    "aws_sfn_state_machine": "arn:aws:states:{r}:{a}:stateMachine:{n}",
}


@dataclass(frozen=True)
class Resolver:
    """Resolves `${...}` in strings of one stack of a synth."""

    synth: Synth
    concern: str
    kms_key_arn: str = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/00000000-0000-0000-0000-000000000000"

    def text(self, value: str) -> str:
        """Replace every reference in `value` (recursively) by its value."""
        return _REF.sub(lambda m: self.reference(m.group(1)), value)

    def deep(self, value: Any) -> Any:
        """Resolve all strings inside dicts/lists."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, dict):
            return {k: self.deep(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.deep(v) for v in value]
        return value

    def reference(self, ref: str) -> str:
        parts = ref.split(".")
        if parts[:2] == ["data", "aws_caller_identity"]:
            return ACCOUNT
        if parts[:2] == ["data", "terraform_remote_state"]:
            stack = parts[2].removeprefix("cross-stack-reference-input-").rsplit("-", 1)[0]
            output = self.synth.stack(stack)["output"][parts[4]]["value"]
            return Resolver(self.synth, stack, self.kms_key_arn).text(output)
        type_, name, attribute = parts[0], parts[1], parts[2]
        return self.attribute(type_, name, attribute)

    def attribute(self, type_: str, name: str, attribute: str) -> str:
        body = self.synth.resources(self.concern, type_)[name]
        if type_ == "aws_kms_key":
            return self.kms_key_arn if attribute == "arn" else self.kms_key_arn.rsplit("/", 1)[1]
        physical = next(self.text(body[a]) for a in _NAME_ATTRIBUTES if a in body)
        if attribute == "arn":
            return _ARN_FORMATS[type_].format(r=REGION, a=ACCOUNT, n=physical)
        if attribute == "url" and type_ == "aws_sqs_queue":
            return f"https://sqs.{REGION}.amazonaws.com/{ACCOUNT}/{physical}"
        return physical

"""Run parliament (IAM linter) here: it imports `pkg_resources`, which this setuptools no longer ships."""

from __future__ import annotations

import json
import sys
import types
from importlib import resources
from typing import Any

from tests.security.tfjson import FoundPolicy

if "pkg_resources" not in sys.modules:
    try:
        import pkg_resources  # noqa: F401
    except ImportError:  # setuptools >= 81: provide the one function parliament uses
        shim = types.ModuleType("pkg_resources")
        shim.resource_filename = lambda package, name: str(resources.files(package) / name)  # type: ignore[attr-defined]
        sys.modules["pkg_resources"] = shim

import parliament

# Documents that are resource policies (a Principal is expected, Resource is the resource itself).
RESOURCE_POLICY_TYPES = {"aws_s3_bucket_policy", "aws_sqs_queue_policy", "aws_sns_topic_policy", "aws_kms_key",
                         "aws_cloudwatch_event_bus_policy", "aws_lambda_permission"}


def analyze(policy: FoundPolicy) -> list[dict[str, Any]]:
    """Parliament's findings for one document as dicts (issue, detail, location)."""
    if policy.attribute == "assume_role_policy":
        return []  # trust policies: Principal + sts:AssumeRole without Resource, not parliament's model
    result = parliament.analyze_policy_string(
        json.dumps(policy.document), include_community_auditors=False,
        ignore_private_auditors=True,
    )
    return [{"issue": f.issue, "detail": f.detail, "location": f.location} for f in result.findings]

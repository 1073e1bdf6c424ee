"""What a destroy left behind in the emulator: our resources (named `txnpipe-...`) that still exist."""

from __future__ import annotations

import re
from collections.abc import Callable

import boto3

from localcloud.deploy import Deployment

PREFIX = "txnpipe-"


def _buckets() -> list[str]:
    return [b["Name"] for b in boto3.client("s3").list_buckets()["Buckets"] if b["Name"].startswith(PREFIX)]


def _tables() -> list[str]:
    return [t for t in boto3.client("dynamodb").list_tables()["TableNames"] if t.startswith(PREFIX)]


def _functions() -> list[str]:
    functions = boto3.client("lambda").list_functions()["Functions"]
    return [f["FunctionName"] for f in functions if f["FunctionName"].startswith(PREFIX)]


def _queues() -> list[str]:
    return [u for u in boto3.client("sqs").list_queues().get("QueueUrls", []) if f"/{PREFIX}" in u]


def _topics() -> list[str]:
    return [t["TopicArn"] for t in boto3.client("sns").list_topics()["Topics"] if f":{PREFIX}" in t["TopicArn"]]


def _state_machines() -> list[str]:
    machines = boto3.client("stepfunctions").list_state_machines()["stateMachines"]
    return [m["name"] for m in machines if m["name"].startswith(PREFIX)]


def _rules() -> list[str]:
    return [r["Name"] for r in boto3.client("events").list_rules()["Rules"] if r["Name"].startswith(PREFIX)]


def _buses() -> list[str]:
    buses = boto3.client("events").list_event_buses()["EventBuses"]
    return [b["Name"] for b in buses if b["Name"].startswith(PREFIX)]


def _apis() -> list[str]:
    return [a["name"] for a in boto3.client("apigateway").get_rest_apis()["items"] if a["name"].startswith(PREFIX)]


def _alarms() -> list[str]:
    alarms = boto3.client("cloudwatch").describe_alarms()["MetricAlarms"]
    return [a["AlarmName"] for a in alarms if a["AlarmName"].startswith(PREFIX)]


def _roles() -> list[str]:
    return [r["RoleName"] for r in boto3.client("iam").list_roles()["Roles"] if r["RoleName"].startswith(PREFIX)]


def _log_groups() -> list[str]:
    groups = boto3.client("logs").describe_log_groups()["logGroups"]
    return [g["logGroupName"] for g in groups if PREFIX in g["logGroupName"]]


def _schedules() -> list[str]:
    return [s["Name"] for s in boto3.client("scheduler").list_schedules()["Schedules"] if s["Name"].startswith(PREFIX)]


def _kms_keys() -> list[str]:
    # A key cannot be deleted at once: destroy schedules its deletion (7 days for local). moto's
    # stand-ins for AWS-managed keys ("Default master key ...", alias/aws/*) are not ours.
    kms = boto3.client("kms")
    metadata = [kms.describe_key(KeyId=k["KeyId"])["KeyMetadata"] for k in kms.list_keys()["Keys"]]
    return [f"{m['KeyId']} ({m['Description']})" for m in metadata
            if "txnpipe" in m.get("Description", "") and m["KeyState"] != "PendingDeletion"]


LISTERS: dict[str, Callable[[], list[str]]] = {
    "buckets": _buckets, "tables": _tables, "functions": _functions, "queues": _queues, "topics": _topics,
    "state machines": _state_machines, "rules": _rules, "buses": _buses, "apis": _apis, "alarms": _alarms,
    "roles": _roles, "log groups": _log_groups, "schedules": _schedules,
    "kms keys (ours, not pending deletion)": _kms_keys,
}


def of_workspace(name: str, workspace: str) -> bool:
    """True when a physical name (or ARN, URL, description) is one of `workspace`'s: `...-<workspace>[-...]`."""
    return re.search(rf"-{re.escape(workspace)}(?![0-9A-Za-z])", name) is not None


def leftovers(deployment: Deployment) -> dict[str, list[str]]:
    """Everything of the deployment's workspace still in the emulator or in a stack's state, by kind (empty: all gone).

    Other workspaces deployed into the same emulator are not counted.
    """
    found = {f"state of {stack}": deployment.state_resources(stack) for stack in deployment.stacks()}
    found.update({kind: [n for n in lister() if of_workspace(n, deployment.workspace)] for kind, lister in LISTERS.items()})
    return {kind: names for kind, names in found.items() if names}

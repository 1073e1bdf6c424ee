"""Observability stack: alarms, metric filters and one dashboard, generated from the other stacks' data.

Each stack exposes a `Monitored` registry as `.monitored`; this stack merges them and applies one
rule per kind of resource (`alarms.py`), so a function, queue, state machine, API or
table added anywhere gets its alarms and widgets without an edit here. Alarms notify the storage
stack's KMS-encrypted alert topic (which carries the workspace's e-mail subscription).

The 15-minute SLA ("a file is terminal 15 minutes after upload") is measured by the custom metric
`txnpipe/FilesOverdue` (dimension `Workspace`): the number of files whose status is not terminal
and whose RECEIVED time is more than 15 minutes ago, published every 5 minutes by a scheduled check
of the files table's `status-updated_at-index` (one query per non-terminal status). Step Functions
metrics alone cannot measure it: `ExecutionTime` is emitted only when an execution *ends*, so a
stuck, never-started (rule/DLQ) or not-yet-finished file produces no datapoint; the per-state-machine
`ExecutionTime` alarm is kept as a complement. Missing SLA data counts as breaching.

Anomalies: the dashboard charts metric `AnomaliesDetected` in namespace `txnpipe` (any dimensions,
e.g. Powertools' `service`) next to the alert topic's `NumberOfMessagesPublished`; the pipeline's
Powertools metrics (`RowsValid`, `RowsRejected`, `TransactionsLoaded`, `FilesRejected`) give throughput.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TypeVar

from cdktf import TerraformStack, Token
from cdktf_cdktf_provider_aws.data_aws_caller_identity import DataAwsCallerIdentity
from constructs import Construct

from stacks.base import PipelineStack
from stacks.config import WorkspaceConfig
from stacks.observability.alarms import PipelineAlarms
from stacks.observability.dashboard import PipelineDashboard
from stacks.observability.dashboard_name import dashboard_name
from stacks.observability.names import PlainNames
from stacks.observability.registry import (
    Monitored,
    Watched,
    WatchedApi,
    WatchedFunction,
    WatchedQueue,
    WatchedStateMachine,
    WatchedTable,
)
from stacks.storage.stack import StorageStack

_Named = TypeVar("_Named", WatchedQueue, WatchedStateMachine, WatchedApi, WatchedTable)


def registry(stack: Construct) -> Monitored:
    """A stack's `monitored` registry; stacks that only list `.functions` get one made from those."""
    monitored = getattr(stack, "monitored", None)
    if isinstance(monitored, Monitored):
        return monitored
    return Monitored(functions=list(getattr(stack, "functions", [])))


def _short(name: str, workspace: str) -> str:
    """`txnpipe-file-status-local` → `file-status` (construct ids and alarm names)."""
    return name.removeprefix("txnpipe-").removesuffix(f"-{workspace}").replace("_", "-").replace(".", "-")


def _merged(item: _Named, *, plain: PlainNames, workspace: str) -> _Named:
    """`item` with its plain name (where it can be traced) and its short name."""
    name = plain(item.name)
    return replace(item, name=name, short=_short(name, workspace))


def watched_from(
    stacks: Sequence[Construct], *, workspace: str, region: str, account_id: str,
) -> Watched:
    """Merge the registries of `stacks` into plain names (no cross-stack outputs where avoidable)."""
    regs = [registry(s) for s in stacks]
    plain = PlainNames(stacks)
    functions = [
        WatchedFunction(short=_short(f.physical_name, workspace), name=f.physical_name,
                        log_group=f"/aws/lambda/{f.physical_name}", timeout_s=f.spec.timeout_s)
        for r in regs for f in r.functions
    ]
    queues = [_merged(q, plain=plain, workspace=workspace) for r in regs for q in r.queues]
    machines = []
    for r in regs:
        for m in r.state_machines:
            merged = _merged(m, plain=plain, workspace=workspace)
            if not Token.is_unresolved(merged.name):
                merged = replace(merged, arn=f"arn:aws:states:{region}:{account_id}:stateMachine:{merged.name}")
            machines.append(merged)
    apis = [_merged(a, plain=plain, workspace=workspace) for r in regs for a in r.apis]
    tables = [_merged(t, plain=plain, workspace=workspace) for r in regs for t in r.tables]
    return Watched(functions=functions, queues=queues, state_machines=machines, apis=apis, tables=tables)


class ObservabilityStack(PipelineStack):
    """Watches the functions, queues, state machines, APIs and tables of the other stacks."""

    def __init__(
        self, scope: Construct, *, config: WorkspaceConfig, storage: StorageStack, processing: Construct,
        api: Construct | None = None,
    ) -> None:
        super().__init__(scope, "observability", config=config)
        self.storage = storage
        self.processing = processing
        self.api = api
        account_id = DataAwsCallerIdentity(self, "account").account_id
        sources: list[Construct] = [s for s in (storage, processing, api) if s is not None]
        # Names are plain strings (no outputs), so terraform sees no reference: the metric filters need the
        # functions' log groups and the alarms the alert topic, so deploy (cdktf runs stacks in parallel) after them.
        for source in sources:
            if isinstance(source, TerraformStack):
                self.add_dependency(source)
        self.watched = watched_from(sources, workspace=config.name, region=config.region, account_id=account_id)
        # The topic's ARN from its (plain) name: no cross-stack output needed for a name known at synth.
        topic_name = storage.alerts.topic.name_input
        topic_arn = (f"arn:aws:sns:{config.region}:{account_id}:{topic_name}"
                     if isinstance(topic_name, str) and not Token.is_unresolved(topic_name) else storage.alerts.arn)
        self.alarms = PipelineAlarms(
            self, "alarms", watched=self.watched, topic_arn=topic_arn, namer=self.namer, workspace=config.name,
        )
        self.dashboard = PipelineDashboard(
            self, "dashboard", name=dashboard_name(self.namer), watched=self.watched,
            region=config.region, workspace=config.name, alarms=self.alarms.alarms,
            alert_topic=topic_name if isinstance(topic_name, str) and not Token.is_unresolved(topic_name) else None,
        )

"""Observability stack: alarms, alert topic and dashboard, generated from the other stacks' data."""

from __future__ import annotations

from constructs import Construct

from stacks.base import PipelineStack
from stacks.config import WorkspaceConfig
from stacks.processing import ProcessingStack
from stacks.storage import StorageStack


class ObservabilityStack(PipelineStack):
    """Watches the functions, queues, state machines and APIs of the other stacks."""

    def __init__(
        self, scope: Construct, *, config: WorkspaceConfig, storage: StorageStack, processing: ProcessingStack,
    ) -> None:
        super().__init__(scope, "observability", config=config)
        self.storage = storage
        self.processing = processing

"""API stack: REST ingestion, presigned uploads and status reads (resources land with the API issue)."""

from __future__ import annotations

from constructs import Construct

from stacks.base import PipelineStack
from stacks.config import WorkspaceConfig
from stacks.storage import StorageStack


class ApiStack(PipelineStack):
    """REST API in front of the pipeline; takes its tables and buckets from `storage`."""

    def __init__(self, scope: Construct, *, config: WorkspaceConfig, storage: StorageStack) -> None:
        super().__init__(scope, "api", config=config)
        self.storage = storage

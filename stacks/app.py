"""Assemble the four stacks of one workspace into a CDKTF app."""

from __future__ import annotations

from dataclasses import dataclass

from cdktf import App

from stacks.api.stack import ApiStack
from stacks.config import WorkspaceConfig
from stacks.observability.stack import ObservabilityStack
from stacks.processing.stack import ProcessingStack
from stacks.storage.stack import StorageStack


@dataclass(frozen=True)
class Pipeline:
    """The stacks of one workspace, wired by passing objects."""

    storage: StorageStack
    processing: ProcessingStack
    api: ApiStack
    observability: ObservabilityStack


def build(app: App, config: WorkspaceConfig) -> Pipeline:
    """Create all stacks of `config`'s workspace in `app`."""
    storage = StorageStack(app, config=config)
    processing = ProcessingStack(app, config=config, storage=storage)
    api = ApiStack(app, config=config, storage=storage, processing=processing)
    observability = ObservabilityStack(app, config=config, storage=storage, processing=processing, api=api)
    return Pipeline(storage, processing, api, observability)

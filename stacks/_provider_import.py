"""Fast, side-effect-free import of the prebuilt AWS provider bindings."""

from __future__ import annotations

import importlib.util
import sys

PROVIDER_PACKAGE = "cdktf_cdktf_provider_aws"


def register_provider_namespace() -> None:
    """Put the provider package in `sys.modules` without running its `__init__`.

    Submodule imports then resolve through the package's `__path__` as usual; each
    submodule loads the jsii assembly itself (`from .._jsii import *`).
    """
    if PROVIDER_PACKAGE in sys.modules:
        return
    spec = importlib.util.find_spec(PROVIDER_PACKAGE)
    if spec is None or spec.submodule_search_locations is None:
        raise ImportError(f"{PROVIDER_PACKAGE} is not installed; run `make install`")
    sys.modules[PROVIDER_PACKAGE] = importlib.util.module_from_spec(spec)

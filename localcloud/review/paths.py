"""Terraform addresses → CDKTF construct paths (recorded by cdktf in each resource's `//` metadata)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

_INDEX = re.compile(r"\[[^\]]*\]$")
_HASHED_ID = re.compile(r"^(?P<path>.+)_[0-9A-F]{8}$")  # cdktf's logical id: path parts + "_" + hash


def base_address(address: str) -> str:
    """`aws_x.name[0]` / `aws_x.name["k"]` → `aws_x.name` (the block the construct declared)."""
    return _INDEX.sub("", address)


def construct_paths(tf_json: Mapping[str, Any]) -> dict[str, str]:
    """Every resource and data source address of a synthesized stack → its construct path."""
    found: dict[str, str] = {}
    for block, prefix in (("resource", ""), ("data", "data.")):
        for kind, named in (tf_json.get(block) or {}).items():
            for name, body in named.items():
                path = ((body.get("//") or {}).get("metadata") or {}).get("path")
                if isinstance(path, str):
                    found[f"{prefix}{kind}.{name}"] = path
    return found


def construct_path(paths: Mapping[str, str], address: str, *, stack: str = "") -> str:
    """The construct path of `address`; for one no synthesized JSON names (a construct removed or
    renamed since), the path read back from cdktf's logical id, marked as such."""
    known = paths.get(base_address(address))
    if known is not None:
        return known
    name = base_address(address).rsplit(".", 1)[-1]
    match = _HASHED_ID.match(name)
    guessed = match.group("path").replace("_", "/") if match else name
    return f"{stack}/{guessed} (from its logical id)" if stack else f"{guessed} (from its logical id)"

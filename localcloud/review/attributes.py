"""Changed attribute paths of one resource change, with sensitive values hidden."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

HIDDEN = "(sensitive)"
UNKNOWN = "(known after apply)"


def _walk(value: Any, prefix: str) -> Iterator[tuple[str, Any]]:
    if isinstance(value, dict):
        for key in sorted(value):
            yield from _walk(value[key], f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(value, list) and value and all(isinstance(v, (dict, list)) for v in value):
        for index, item in enumerate(value):
            yield from _walk(item, f"{prefix}[{index}]")
    else:
        yield prefix, value


def lookup(tree: Any, path: str) -> Any:
    """The value at a dotted/indexed path of `tree` (None when absent)."""
    node = tree
    for part in path.replace("[", ".[").split("."):
        if not part:
            continue
        if part.startswith("["):
            index = int(part[1:-1])
            node = node[index] if isinstance(node, list) and index < len(node) else None
        else:
            node = node.get(part) if isinstance(node, dict) else None
    return node


def _canonical(value: Any) -> Any:
    """A JSON document held in a string (a policy) compared by content, not by its formatting."""
    if isinstance(value, str) and value[:1] in ("{", "["):
        try:
            return json.dumps(json.loads(value), sort_keys=True)
        except json.JSONDecodeError:
            return value
    return value


def changed_attributes(change: dict[str, Any]) -> list[str]:
    """Paths whose value differs between `before` and `after`, or that become known only after apply."""
    before = dict(_walk(change.get("before") or {}, ""))
    after = dict(_walk(change.get("after") or {}, ""))
    unknown = {path for path, flag in _walk(change.get("after_unknown") or {}, "") if flag is True}
    paths = {p for p in before.keys() | after.keys() if _canonical(before.get(p)) != _canonical(after.get(p))} | unknown
    return sorted(p for p in paths if p)


def _sensitive(change: dict[str, Any], path: str) -> bool:
    for key in ("before_sensitive", "after_sensitive"):
        marks = change.get(key)
        if marks is True or lookup(marks, path) is True or any(
                lookup(marks, path[:i]) is True for i in range(len(path)) if path[i] in ".["):
            return True
    return False


def shown_value(change: dict[str, Any], side: str, path: str) -> str:
    """The value at `path` on `side` ("before"/"after") as a reviewer may see it."""
    if _sensitive(change, path):
        return HIDDEN
    if side == "after" and lookup(change.get("after_unknown"), path) is True:
        return UNKNOWN
    value = lookup(change.get(side), path)
    text = "null" if value is None else str(value)
    return text if len(text) <= 80 else text[:77] + "..."

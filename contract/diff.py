"""Classify contract changes between two `rules.json` fact sets: breaking (rejects files valid before) or not."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from contract.pattern_compare import compare_patterns


@dataclass
class Changes:
    """What changed, split by whether yesterday's valid files could now be rejected."""

    breaking: list[str] = field(default_factory=list)
    compatible: list[str] = field(default_factory=list)

    def add(self, *, breaking: bool, text: str) -> None:
        """Record one change."""
        (self.breaking if breaking else self.compatible).append(text)


def _bound(changes: Changes, what: str, old: int | None, new: int | None) -> None:
    """An upper bound: lower (or newly set) is breaking."""
    if old == new:
        return
    tighter = new is not None and (old is None or new < old)
    changes.add(breaking=tighter, text=f"{what}: {old if old is not None else 'none'} → {new if new is not None else 'none'}")


def _members(changes: Changes, what: str, old: list[Any] | None, new: list[Any] | None, *, removal_breaks: bool) -> None:
    old_set, new_set = set(old or []), set(new or [])
    if removed := sorted(old_set - new_set):
        changes.add(breaking=removal_breaks, text=f"{what}: removed {', '.join(map(str, removed))}")
    if added := sorted(new_set - old_set):
        changes.add(breaking=not removal_breaks, text=f"{what}: added {', '.join(map(str, added))}")


def _field(changes: Changes, name: str, old: dict[str, Any], new: dict[str, Any]) -> None:
    if old["required"] != new["required"]:
        changes.add(breaking=new["required"], text=f"{name}: {'now required' if new['required'] else 'now optional'}")
    _bound(changes, f"{name}: max length", old["max_length"], new["max_length"])
    if old["enum"] is not None or new["enum"] is not None:
        if old["enum"] is None or new["enum"] is None:
            changes.add(breaking=new["enum"] is not None, text=f"{name}: enum {old['enum']} → {new['enum']}")
        else:
            _members(changes, f"{name}: allowed values", old["enum"], new["enum"], removal_breaks=True)
    if old["pattern"] != new["pattern"]:
        verdict = compare_patterns(old["pattern"], new["pattern"])
        changes.add(breaking=verdict.narrower, text=f"{name}: pattern changed ({verdict.summary})")
    for flag, breaking_when in (("unique", True), ("json_number", False)):
        if old[flag] != new[flag]:
            changes.add(breaking=new[flag] == breaking_when, text=f"{name}: {flag} {old[flag]} → {new[flag]}")


def _currencies(changes: Changes, old: dict[str, int], new: dict[str, int]) -> None:
    _members(changes, "currencies", list(old), list(new), removal_breaks=True)
    for code in sorted(set(old) & set(new)):
        _bound(changes, f"currency {code}: fraction digits", old[code], new[code])


def classify(old: dict[str, Any], new: dict[str, Any]) -> Changes:
    """Every change from `old` to `new` facts (see contract.facts), breaking or compatible."""
    changes = Changes()
    old_fields, new_fields = old.get("fields", {}), new.get("fields", {})
    for name in sorted(set(old_fields) - set(new_fields)):
        changes.add(breaking=False, text=f"{name}: no longer a contract field (ignored like any extra column)")
    for name in sorted(set(new_fields) - set(old_fields)):
        required = new_fields[name]["required"]
        changes.add(breaking=required, text=f"{name}: new {'required' if required else 'optional'} field")
    for name in sorted(set(old_fields) & set(new_fields)):
        _field(changes, name, old_fields[name], new_fields[name])
    _currencies(changes, old.get("currencies", {}), new.get("currencies", {}))
    old_limits, new_limits = old.get("limits", {}), new.get("limits", {})
    for key in sorted(set(old_limits) | set(new_limits)):
        _bound(changes, key, old_limits.get(key), new_limits.get(key))
    _members(changes, "upload formats", old.get("upload_formats"), new.get("upload_formats"), removal_breaks=True)
    _members(changes, "file statuses", old.get("file_statuses"), new.get("file_statuses"), removal_breaks=True)
    return changes


def _semver(text: str) -> tuple[int, int, int]:
    parts = text.split(".")
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        raise ValueError(f"contract version {text!r} is not MAJOR.MINOR.PATCH")
    return int(parts[0]), int(parts[1]), int(parts[2])


def version_problems(old_version: str, new_version: str, changes: Changes) -> list[str]:
    """What is wrong with the version bump for these changes (empty when it fits)."""
    old, new = _semver(old_version), _semver(new_version)
    step = f"{old_version} → {new_version}"
    if new < old:
        return [f"the version went down ({step})"]
    if changes.breaking and new[0] <= old[0]:
        return [f"breaking changes without a major version bump ({step})"]
    if changes.compatible and new[:2] <= old[:2] and not changes.breaking:
        return [f"rule changes without a minor version bump ({step})"]
    return []

"""One stack's plan, reviewed: counts, data loss first, every change with its construct path."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from localcloud.review.attributes import changed_attributes
from localcloud.review.data_loss import data_loss_reasons
from localcloud.review.iam import iam_changes
from localcloud.review.paths import construct_path, construct_paths

COUNTED = ("create", "update", "replace", "delete")


def kind_of(actions: list[str]) -> str | None:
    """terraform's action list → create | update | replace | delete (None for no-op and read)."""
    if "delete" in actions and "create" in actions:
        return "replace"
    if actions in (["create"], ["update"], ["delete"]):
        return actions[0]
    return None


@dataclass
class StackReview:
    """The review of one stack's plan (`to_json` is its entry in summary.json)."""

    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COUNTED, 0))
    data_loss: list[dict[str, str]] = field(default_factory=list)
    changes: list[dict[str, Any]] = field(default_factory=list)
    blocked: str | None = None  #: why the stack could not be planned yet

    def to_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {**self.counts, "data_loss": self.data_loss, "changes": self.changes}
        if self.blocked is not None:
            body["blocked"] = self.blocked
        return body


def blocked_stack(why: str) -> StackReview:
    """A stack that cannot be planned yet (e.g. its upstream stack is not applied)."""
    return StackReview(blocked=why)


def _change_entry(resource_change: Mapping[str, Any], path: str, kind: str) -> dict[str, Any]:
    change = dict(resource_change.get("change") or {})
    entry: dict[str, Any] = {
        "address": resource_change["address"], "construct_path": path, "actions": list(change.get("actions") or []),
        "attributes": changed_attributes(change) if kind in ("update", "replace") else [],
    }
    iam = iam_changes(change)
    if iam["added"] or iam["removed"]:
        entry["iam"] = iam
    return entry


def review_stack(plan: Mapping[str, Any], tf_json: Mapping[str, Any], *, applied: Mapping[str, Any] | None = None,
                 stack: str = "") -> StackReview:
    """Review `terraform show -json` of a saved plan, naming construct paths from the synthesized `tf_json`.

    A resource it no longer declares (a construct removed or renamed) takes its path from `applied`,
    the synthesized JSON of the last apply, when there is one, else from its logical id.
    """
    paths = {**construct_paths(applied or {}), **construct_paths(tf_json)}
    review = StackReview()
    for resource_change in plan.get("resource_changes") or []:
        if resource_change.get("mode") == "data":
            continue
        kind = kind_of(list((resource_change.get("change") or {}).get("actions") or []))
        if kind is None:
            continue
        review.counts[kind] += 1
        path = construct_path(paths, resource_change["address"], stack=stack)
        review.changes.append(_change_entry(resource_change, path, kind))
        review.data_loss += [{"address": resource_change["address"], "construct_path": path, "why": why}
                             for why in data_loss_reasons(dict(resource_change))]
    return review


DATA_LOSS_EXIT = 3  # `make plan FAIL_ON=data-loss`: 1 is a failed command, 2 terraform's "changes present"


def data_loss_exit(reviews: Mapping[str, StackReview], fail_on: str) -> int:
    """The exit code of `make plan`: DATA_LOSS_EXIT when `fail_on` is "data-loss" and any stack lists a data loss."""
    losses = sum(len(review.data_loss) for review in reviews.values())
    return DATA_LOSS_EXIT if fail_on == "data-loss" and losses else 0

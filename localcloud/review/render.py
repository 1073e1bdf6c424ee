"""summary.json (for tools) and summary.md (the pull-request comment) of a workspace's reviewed plans."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from localcloud.review.summary import COUNTED, StackReview


def summary_json(workspace: str, reviews: Mapping[str, StackReview]) -> dict[str, Any]:
    """`{"workspace": str, "stacks": {"<stack>": {create, update, replace, delete, data_loss, changes}}}`."""
    return {"workspace": workspace, "stacks": {stack: review.to_json() for stack, review in reviews.items()}}


def _data_loss_lines(reviews: Mapping[str, StackReview]) -> list[str]:
    losses = [(stack, loss) for stack, review in reviews.items() for loss in review.data_loss]
    if not losses:
        return ["**No data loss**: no stateful resource is destroyed or replaced, and no protection is weakened.", ""]
    lines = [f"## :warning: Data loss ({len(losses)})", "", "| stack | construct | address | why |", "|---|---|---|---|"]
    lines += [f"| {stack} | `{loss['construct_path']}` | `{loss['address']}` | {loss['why']} |" for stack, loss in losses]
    return [*lines, ""]


def _count_lines(reviews: Mapping[str, StackReview]) -> list[str]:
    lines = ["| stack | " + " | ".join(COUNTED) + " |", "|---|" + "---|" * len(COUNTED)]
    for stack, review in reviews.items():
        cells = ["blocked"] * len(COUNTED) if review.blocked else [str(review.counts[k]) for k in COUNTED]
        lines.append(f"| {stack} | " + " | ".join(cells) + " |")
    return [*lines, ""]


def _change_lines(stack: str, review: StackReview) -> list[str]:
    if review.blocked:
        return [f"### {stack}", "", f"Not planned: {review.blocked}", ""]
    if not review.changes:
        return []
    lines = [f"### {stack}", ""]
    for change in review.changes:
        attributes = ", ".join(f"`{a}`" for a in change["attributes"][:12])
        more = f" and {len(change['attributes']) - 12} more" if len(change["attributes"]) > 12 else ""
        lines.append(f"- **{'/'.join(change['actions'])}** `{change['construct_path']}` (`{change['address']}`)"
                     + (f": {attributes}{more}" if attributes else ""))
        for verb in ("added", "removed"):
            lines += [f"  - IAM {verb}: `{grant}`" for grant in change.get("iam", {}).get(verb, [])]
    return [*lines, ""]


def summary_markdown(workspace: str, reviews: Mapping[str, StackReview]) -> str:
    """What a reviewer reads: data loss first, then counts per stack, then every change."""
    lines = [f"# Plan for `{workspace}`", "", *_data_loss_lines(reviews), *_count_lines(reviews)]
    for stack, review in reviews.items():
        lines += _change_lines(stack, review)
    return "\n".join(lines).rstrip() + "\n"


def write_summary(plans_dir: Path, workspace: str, reviews: Mapping[str, StackReview]) -> tuple[Path, Path]:
    """Write summary.json and summary.md under `plans_dir`; return their paths."""
    plans_dir.mkdir(parents=True, exist_ok=True)
    as_json, as_md = plans_dir / "summary.json", plans_dir / "summary.md"
    as_json.write_text(json.dumps(summary_json(workspace, reviews), indent=2, sort_keys=True) + "\n")
    as_md.write_text(summary_markdown(workspace, reviews))
    return as_json, as_md

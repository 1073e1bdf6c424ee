"""The pull request's side of plan review: one comment per workspace, kept up to date, and the merge gate.

The workflows in `.github/workflows/` only call `make plan-comment` and `make plan-gate`, which run
this module: `python -m localcloud.review.pull_request comment|gate --workspace W`.

* comment: posts `build/plans/summary.md` as a comment on the pull request, or edits the one this
  command posted before for the same workspace (found by its hidden marker), through GitHub's REST
  API (`GITHUB_API_URL`, `GITHUB_REPOSITORY`, `PR_NUMBER`, `GITHUB_TOKEN`).
* gate: fails while `summary.json` lists a data loss and the pull request lacks the approval label
  (`data-loss-approved`, which only a reviewer adds: a required check then blocks the merge until
  someone has looked at what is destroyed).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import urllib.request
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

PLANS = Path(__file__).resolve().parents[2] / "build" / "plans"
APPROVAL_LABEL = "data-loss-approved"
COMMENT_LIMIT = 65_536  # GitHub refuses a longer comment body
MAX_PAGES = 50  # 5,000 comments: a pull request with more is not one a plan comment helps


def marker(workspace: str) -> str:
    """The hidden line that identifies this workspace's plan comment."""
    return f"<!-- txnpipe plan review: {workspace} -->"


def comment_body(workspace: str, summary_md: str) -> str:
    """The comment: marker + summary, cut to GitHub's limit with a note where it was cut."""
    body = f"{marker(workspace)}\n{summary_md}"
    if len(body) <= COMMENT_LIMIT:
        return body
    note = "\n\n... cut to fit a comment: the whole summary is in the job's `build/plans/summary.md` artifact.\n"
    return body[: COMMENT_LIMIT - len(note)] + note


def existing_comment(comments: Sequence[Mapping[str, Any]], workspace: str) -> int | None:
    """The id of the comment an earlier run posted for `workspace`, if any."""
    return next((int(c["id"]) for c in comments if str(c.get("body", "")).startswith(marker(workspace))), None)


def gate(summary: Mapping[str, Any], labels: Sequence[str]) -> tuple[bool, str]:
    """(may merge, why): no data loss, or a reviewer approved it with the label."""
    losses = [f"{stack}: {d['construct_path']} ({d['why']})" for stack, body in summary["stacks"].items()
              for d in body.get("data_loss", [])]
    if not losses:
        return True, f"{summary['workspace']}: no data loss"
    if APPROVAL_LABEL in labels:
        return True, f"{summary['workspace']}: {len(losses)} data loss(es), approved with the {APPROVAL_LABEL} label"
    listed = "\n".join(f"  {line}" for line in losses)
    return False, (f"{summary['workspace']}: the plan loses data; a reviewer must add the {APPROVAL_LABEL} "
                   f"label to merge:\n{listed}")


def _github(method: str, url: str, token: str, body: Mapping[str, Any] | None = None) -> Any:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method, headers={  # noqa: S310 - https API URL from the runner
        "Authorization": f"Bearer {token}", "Accept": "application/vnd.github+json",
        "X-GitHub-Api-Version": "2022-11-28", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - as above
        return json.loads(response.read() or b"null")


def post_or_update(*, api: str, repository: str, pr: int, token: str, workspace: str, body: str) -> str:
    """Edit this workspace's earlier comment, or post a new one; returns "updated" or "posted"."""
    comments: list[Mapping[str, Any]] = []
    for page in range(1, MAX_PAGES + 1):
        batch = _github("GET", f"{api}/repos/{repository}/issues/{pr}/comments?per_page=100&page={page}", token)
        if not batch:
            break
        comments += batch
    found = existing_comment(comments, workspace)
    if found is not None:
        _github("PATCH", f"{api}/repos/{repository}/issues/comments/{found}", token, {"body": body})
        return "updated"
    _github("POST", f"{api}/repos/{repository}/issues/{pr}/comments", token, {"body": body})
    return "posted"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m localcloud.review.pull_request")
    parser.add_argument("command", choices=["comment", "gate"])
    parser.add_argument("--workspace", required=True)
    parser.add_argument("--plans", type=Path, default=PLANS)
    parser.add_argument("--labels", default=os.environ.get("PR_LABELS", ""), help="comma-separated PR labels")
    args = parser.parse_args(argv)
    if args.command == "gate":
        ok, why = gate(json.loads((args.plans / "summary.json").read_text()), args.labels.split(","))
        print(why, file=sys.stdout if ok else sys.stderr)
        return 0 if ok else 1
    env = os.environ
    body = comment_body(args.workspace, (args.plans / "summary.md").read_text())
    print(post_or_update(api=env.get("GITHUB_API_URL", "https://api.github.com"), repository=env["GITHUB_REPOSITORY"],
                         pr=int(env["PR_NUMBER"]), token=env["GITHUB_TOKEN"], workspace=args.workspace, body=body))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The pull request's plan comment (one per workspace, edited in place) and the data-loss merge gate."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from localcloud.review.pull_request import (
    APPROVAL_LABEL,
    COMMENT_LIMIT,
    comment_body,
    existing_comment,
    gate,
    marker,
    post_or_update,
)

LOSS = {"workspace": "prod", "stacks": {"storage-prod": {"data_loss": [
    {"address": "aws_dynamodb_table.a", "construct_path": "storage-prod/audit/table", "why": "table destroyed"}]}}}
CLEAN = {"workspace": "prod", "stacks": {"storage-prod": {"data_loss": []}}}


def test_a_plan_without_data_loss_may_merge() -> None:
    assert gate(CLEAN, [])[0] is True


def test_a_plan_with_data_loss_is_blocked_naming_the_construct() -> None:
    ok, why = gate(LOSS, ["enhancement"])
    assert (ok, "storage-prod/audit/table (table destroyed)" in why) == (False, True)


def test_the_approval_label_lets_a_reviewed_data_loss_merge() -> None:
    assert gate(LOSS, [APPROVAL_LABEL])[0] is True


def test_the_comment_starts_with_its_workspace_marker() -> None:
    assert comment_body("dev", "# Plan").startswith(marker("dev") + "\n# Plan")


def test_a_long_summary_is_cut_to_githubs_limit() -> None:
    assert len(comment_body("dev", "x" * (COMMENT_LIMIT * 2))) == COMMENT_LIMIT


def test_the_earlier_comment_of_the_same_workspace_is_found() -> None:
    comments = [{"id": 1, "body": "looks good"}, {"id": 2, "body": marker("prod") + "\nold"},
                {"id": 3, "body": marker("dev") + "\nold"}]
    assert existing_comment(comments, "dev") == 3


class _Issues(BaseHTTPRequestHandler):
    """GitHub's issue-comment endpoints, as far as the command uses them (list, create, edit)."""

    comments: list[dict[str, Any]] = []

    def _reply(self, status: int, body: object) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        page = parse_qs(urlsplit(self.path).query)["page"][0]
        self._reply(200, self.comments if page == "1" else [])

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.comments.append({"id": len(self.comments) + 1, "body": body["body"]})
        self._reply(201, self.comments[-1])

    def do_PATCH(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        number = int(self.path.rsplit("/", 1)[1])
        next(c for c in self.comments if c["id"] == number)["body"] = body["body"]
        self._reply(200, {"id": number})

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def github() -> Iterator[str]:
    _Issues.comments = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Issues)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def _post(api: str, body: str) -> str:
    return post_or_update(api=api, repository="acme/txnpipe", pr=7, token="t", workspace="dev", body=body)


def test_the_first_run_posts_and_the_next_edits_the_same_comment(github: str) -> None:
    # Given a pull request with no plan comment
    # When the plan job runs twice
    actions = [_post(github, comment_body("dev", "first")), _post(github, comment_body("dev", "second"))]
    # Then one comment was posted, then edited, and it holds the latest summary
    assert (actions, [c["body"] for c in _Issues.comments]) == (["posted", "updated"], [comment_body("dev", "second")])

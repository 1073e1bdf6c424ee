"""`python -m operations status|redrive|reprocess --workspace W`: the operator's tools (README, "Runbook").

`status` is the first look (`operations.status`), `redrive --queue Q [--dry-run]` sends a dead-letter
queue's messages back (`operations.redrive`), `reprocess --file-id F` runs a terminal file again
(`operations.reprocess`).

`local` (and any workspace with TARGET=local) is read from the emulator at AWS_ENDPOINT_URL
(default http://127.0.0.1:4566, `make up`); other workspaces from AWS with the usual credentials.
"""

from __future__ import annotations

import argparse
import os
import socket
import sys

import boto3

from operations import commands
from operations.status import gather, render
from stacks.config import load_config

EMULATOR = "http://127.0.0.1:4566"


def _endpoint(workspace: str) -> str | None:
    target = os.environ.get("TARGET") or ("local" if workspace == "local" else "aws")
    if target != "local":
        return None
    url = os.environ.get("AWS_ENDPOINT_URL", EMULATOR)
    host, port = url.split("//", 1)[-1].split("/", 1)[0].rsplit(":", 1)
    with socket.socket() as probe:
        probe.settimeout(0.5)
        if probe.connect_ex((host, int(port))) != 0:
            raise SystemExit(f"no emulator answers at {url}: start one with `make up` in another terminal")
    return url


def _session(workspace: str) -> tuple[boto3.session.Session, str | None]:
    endpoint = _endpoint(workspace)
    region = load_config({**os.environ, "WORKSPACE": workspace}).region
    if endpoint:
        return boto3.session.Session(region_name=region, aws_access_key_id="test",
                                     aws_secret_access_key="test"), endpoint  # noqa: S106 - the emulator's
    return boto3.session.Session(region_name=region), None


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--workspace", default=os.environ.get("WORKSPACE", "local"))
    parser = argparse.ArgumentParser(prog="python -m operations")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("status", parents=[common], help="files by status, oldest open files, dead-letter queues")
    redrive = sub.add_parser("redrive", parents=[common],
                             help="send a dead-letter queue's messages back to where they failed to go")
    redrive.add_argument("--queue", required=True, help="the DLQ's name, or its purpose (e.g. file-uploaded-dlq)")
    redrive.add_argument("--dry-run", action="store_true", help="show what would be done, change nothing")
    reprocess = sub.add_parser("reprocess", parents=[common], help="run one terminal file through the pipeline again")
    reprocess.add_argument("--file-id", required=True)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one operator command; exit 1 when something was left undone (a message kept, a file refused)."""
    args = _parser().parse_args(argv)
    session, endpoint = _session(args.workspace)
    if args.command == "status":
        print(render(gather(args.workspace, dynamodb=session.resource("dynamodb", endpoint_url=endpoint),
                            sqs=session.client("sqs", endpoint_url=endpoint))))
        return 0
    if args.command == "redrive":
        return commands.redrive_command(session, endpoint, workspace=args.workspace, queue=args.queue, dry_run=args.dry_run)
    return commands.reprocess_command(session, endpoint, workspace=args.workspace, file_id=args.file_id)


if __name__ == "__main__":
    sys.exit(main())

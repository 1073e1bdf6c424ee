"""`python -m operations status --workspace W`: the operator's first look (see `operations.status`).

`local` (and any workspace with TARGET=local) is read from the emulator at AWS_ENDPOINT_URL
(default http://127.0.0.1:4566, `make up`); other workspaces from AWS with the usual credentials.
"""

from __future__ import annotations

import argparse
import os
import socket
import sys

import boto3

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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m operations")
    sub = parser.add_subparsers(dest="command", required=True)
    status = sub.add_parser("status", help="files by status, oldest open files, dead-letter queues")
    status.add_argument("--workspace", default=os.environ.get("WORKSPACE", "local"))
    args = parser.parse_args(argv)
    endpoint = _endpoint(args.workspace)
    region = load_config({**os.environ, "WORKSPACE": args.workspace}).region
    session = (boto3.session.Session(region_name=region, aws_access_key_id="test", aws_secret_access_key="test")  # noqa: S106
               if endpoint else boto3.session.Session(region_name=region))
    print(render(gather(args.workspace, dynamodb=session.resource("dynamodb", endpoint_url=endpoint),
                        sqs=session.client("sqs", endpoint_url=endpoint))))
    return 0


if __name__ == "__main__":
    sys.exit(main())

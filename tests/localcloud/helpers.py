"""Small builders shared by the emulator tests."""

from __future__ import annotations

import io
import json
import time
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import boto3

from localcloud import clock


def zip_bytes(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def role(name: str, service: str) -> str:
    iam = boto3.client("iam")
    try:
        return str(iam.get_role(RoleName=name)["Role"]["Arn"])
    except iam.exceptions.NoSuchEntityException:
        doc = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": service},
                                                       "Action": "sts:AssumeRole"}]}
        return str(iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(doc))["Role"]["Arn"])


def function(name: str, handler_source: str, **extra: object) -> str:
    """Create a python3.11 function whose module `fn/handler.py` is `handler_source`, and its log group; its ARN."""
    lam = boto3.client("lambda")
    response = lam.create_function(
        FunctionName=name, Runtime="python3.11", Role=role("lc-test-fn", "lambda.amazonaws.com"),
        Handler="fn.handler.handler", Code={"ZipFile": zip_bytes({"fn/__init__.py": "", "fn/handler.py": handler_source})},
        **{"Timeout": 10, **extra},  # type: ignore[arg-type]
    )
    logs = boto3.client("logs")  # the role may not create it (as our stacks' roles): the log group exists first
    if not logs.describe_log_groups(logGroupNamePrefix=f"/aws/lambda/{name}")["logGroups"]:
        logs.create_log_group(logGroupName=f"/aws/lambda/{name}")
    return str(response["FunctionArn"])


def wait_until(predicate: Callable[[], Any], timeout: float = 30.0) -> Any:
    """`predicate()`'s first truthy value, polled every 0.2 s; AssertionError after `timeout` seconds."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"condition not met within {timeout}s")


@contextmanager
def emulated_clock(scale: float) -> Iterator[None]:
    """The emulator's clock at `scale` for the duration (real time again after)."""
    clock.start(scale=scale)
    try:
        yield
    finally:
        clock.start(scale=1)

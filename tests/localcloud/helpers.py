"""Small builders shared by the emulator tests."""

from __future__ import annotations

import io
import json
import zipfile

import boto3


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
    """Create a python3.11 function whose module `fn/handler.py` is `handler_source`; return its ARN."""
    lam = boto3.client("lambda")
    response = lam.create_function(
        FunctionName=name, Runtime="python3.11", Role=role("lc-test-fn", "lambda.amazonaws.com"),
        Handler="fn.handler.handler", Code={"ZipFile": zip_bytes({"fn/__init__.py": "", "fn/handler.py": handler_source})},
        **{"Timeout": 10, **extra},  # type: ignore[arg-type]
    )
    return str(response["FunctionArn"])

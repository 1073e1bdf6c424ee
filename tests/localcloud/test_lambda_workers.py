"""The worker pool's answers where the code cannot run, and its own faults (split out of lambda_runtime)."""

from __future__ import annotations

import json

import boto3
import pytest

from localcloud import diagnostics
from localcloud.emulator import Emulator
from localcloud.lambda_faults import InjectedFaults
from localcloud.lambda_sandbox import LambdaSandbox
from localcloud.patches import lambda_runtime
from tests.localcloud.helpers import function, role, zip_bytes

OK_HANDLER = "def handler(event, context):\n    return {'ok': True}\n"


def _invoke(name: str) -> tuple[str | None, dict[str, object]]:
    response = boto3.client("lambda").invoke(FunctionName=name, Payload=b"{}")
    return response.get("FunctionError"), json.loads(response["Payload"].read())


def test_run_before_install_names_the_missing_step(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lambda_runtime, "_RUNTIME", None)
    with pytest.raises(RuntimeError, match="Lambda runtime is not installed"):
        lambda_runtime.run(object(), "{}")


def test_public_names_stay_importable_from_lambda_runtime() -> None:
    assert {"LambdaRuntime", "Invocation", "run", "install"} <= set(lambda_runtime.__all__)


def test_injecting_zero_failures_is_refused() -> None:
    with pytest.raises(ValueError, match="times must be at least 1"):
        InjectedFaults().inject("f", "E", times=0)


def test_injection_counts_down_then_ends() -> None:
    faults = InjectedFaults()
    faults.inject("f", "E", times=2)
    assert [faults.take("f") is not None for _ in range(3)] == [True, True, False]


def test_code_that_is_no_zip_answers_invalid_entrypoint_without_a_fault(emulator: Emulator) -> None:
    boto3.client("lambda").create_function(
        FunctionName="lc-workers-badzip", Runtime="python3.11", Role=role("lc-test-fn", "lambda.amazonaws.com"),
        Handler="fn.handler.handler", Code={"ZipFile": b"not a zip"})
    before = diagnostics.recorded()
    error, body = _invoke("lc-workers-badzip")
    assert (error, body["errorType"]) == ("Unhandled", "Runtime.InvalidEntrypoint")
    assert diagnostics.recorded() == before


def test_a_layer_without_content_answers_naming_the_layer(emulator: Emulator) -> None:
    boto3.client("s3").create_bucket(Bucket="lc-workers-artifacts")
    layer = boto3.client("lambda").publish_layer_version(
        LayerName="lc-workers-empty", Content={"S3Bucket": "lc-workers-artifacts", "S3Key": "missing.zip"})
    function("lc-workers-emptylayer", OK_HANDLER, Layers=[layer["LayerVersionArn"]])
    error, body = _invoke("lc-workers-emptylayer")
    assert error == "Unhandled" and layer["LayerVersionArn"] in str(body["errorMessage"])


def test_an_unexpected_failure_to_start_a_worker_is_recorded(emulator: Emulator, monkeypatch: pytest.MonkeyPatch) -> None:
    function("lc-workers-env-bug", OK_HANDLER)

    def broken(self: LambdaSandbox, fn: object, task_root: object) -> dict[str, str]:
        raise KeyError("environment bug")

    monkeypatch.setattr(LambdaSandbox, "environment", broken)
    error, body = _invoke("lc-workers-env-bug")
    monkeypatch.undo()
    assert (error, body["errorType"]) == ("Unhandled", "Runtime.InvalidEntrypoint")
    assert [f.error for f in diagnostics.take("lambda.start_worker")] == ["KeyError: 'environment bug'"]


def test_the_sandbox_extracts_code_once_per_content(tmp_path: object) -> None:
    sandbox = LambdaSandbox(cache_dir=tmp_path, endpoint_url="http://127.0.0.1:1")  # type: ignore[arg-type]
    code = zip_bytes({"a.py": "X = 1\n"})
    assert sandbox.extract("code", code) == sandbox.extract("code", code)

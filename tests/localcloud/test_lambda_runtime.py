"""Lambda invocations run the uploaded zip and layers in a worker process, like the python3.11 runtime."""

from __future__ import annotations

import io
import json
import zipfile

import boto3
import pytest

from localcloud.emulator import Emulator

HANDLER = '''
import json, os, sys, time
import layerlib

def handler(event, context):
    if event.get("sleep"):
        time.sleep(event["sleep"])
    if event.get("fail"):
        raise RuntimeError("asked to fail")
    if event.get("import"):
        __import__(event["import"])
    if event.get("call"):
        import boto3
        boto3.client("s3").put_object(Bucket=os.environ["BUCKET"], Key="from-lambda", Body=b"hi")
    return {"env": {k: os.environ.get(k) for k in ("BUCKET", "AWS_LAMBDA_FUNCTION_NAME", "AWS_REGION",
            "AWS_DEFAULT_REGION", "AWS_ENDPOINT_URL", "AWS_ACCESS_KEY_ID", "_HANDLER", "HOME")},
            "layer": layerlib.VALUE, "remaining_ms": context.get_remaining_time_in_millis(),
            "request_id": context.aws_request_id, "name": context.function_name}
'''

# Room for a cold `import boto3` + client on a loaded machine (make test runs two sessions side by side);
# 2 s timed out there.
TIMEOUT_S = 5


def _zip(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def function(emulator: Emulator) -> str:
    s3 = boto3.client("s3")
    s3.create_bucket(Bucket="lc-runtime-artifacts")
    s3.put_object(Bucket="lc-runtime-artifacts", Key="layer.zip", Body=_zip({"python/layerlib.py": "VALUE = 'from-layer'\n"}))
    lam = boto3.client("lambda")
    layer = lam.publish_layer_version(LayerName="lc-runtime-layer",
                                      Content={"S3Bucket": "lc-runtime-artifacts", "S3Key": "layer.zip"})["LayerVersionArn"]
    role = boto3.client("iam").create_role(RoleName="lc-runtime-fn", AssumeRolePolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"},
                                                "Action": "sts:AssumeRole"}]}))["Role"]["Arn"]
    boto3.client("iam").put_role_policy(RoleName="lc-runtime-fn", PolicyName="logs", PolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Resource": "*", "Action": [
            "logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"]}]}))
    lam.create_function(
        FunctionName="lc-runtime-fn", Runtime="python3.11", Role=role, Handler="probe.handler.handler", Timeout=TIMEOUT_S,
        Code={"ZipFile": _zip({"probe/__init__.py": "", "probe/handler.py": HANDLER})}, Layers=[layer],
        Environment={"Variables": {"BUCKET": "lc-runtime-artifacts"}},
    )
    return "lc-runtime-fn"


def _invoke(name: str, event: dict[str, object]) -> tuple[str | None, dict[str, object]]:
    response = boto3.client("lambda").invoke(FunctionName=name, Payload=json.dumps(event).encode())
    return response.get("FunctionError"), json.loads(response["Payload"].read())


def test_runs_code_from_zip_with_layer_and_environment(emulator: Emulator, function: str) -> None:
    error, body = _invoke(function, {})
    assert error is None, body
    env = body["env"]
    assert env["BUCKET"] == "lc-runtime-artifacts" and env["AWS_LAMBDA_FUNCTION_NAME"] == function
    assert env["AWS_REGION"] == env["AWS_DEFAULT_REGION"] == emulator.region
    assert env["AWS_ENDPOINT_URL"] == emulator.endpoint and env["AWS_ACCESS_KEY_ID"] == "test"
    assert env["_HANDLER"] == "probe.handler.handler" and env["HOME"] is None  # nothing leaks from this process
    assert body["layer"] == "from-layer" and body["name"] == function
    assert 0 < body["remaining_ms"] <= TIMEOUT_S * 1000  # type: ignore[operator]


def test_function_calls_back_into_the_emulator(emulator: Emulator, function: str) -> None:
    error, body = _invoke(function, {"call": True})
    assert error is None, body
    assert boto3.client("s3").get_object(Bucket="lc-runtime-artifacts", Key="from-lambda")["Body"].read() == b"hi"


def test_unhandled_error_is_reported_like_lambda(function: str) -> None:
    error, body = _invoke(function, {"fail": True})
    assert error == "Unhandled"
    assert body["errorType"] == "RuntimeError" and body["errorMessage"] == "asked to fail"


def test_packages_of_this_machine_are_not_importable(function: str) -> None:
    error, body = _invoke(function, {"import": "pytest"})  # installed here, not in the zip or layer
    assert error == "Unhandled" and body["errorType"] == "ModuleNotFoundError"
    error, body = _invoke(function, {"import": "boto3"})  # the python3.11 runtime provides the SDK
    assert error is None


def test_timeout_kills_the_invocation(function: str) -> None:
    error, body = _invoke(function, {"sleep": TIMEOUT_S + 3})
    assert error == "Unhandled" and body["errorType"] == "Sandbox.Timedout"
    assert f"Task timed out after {TIMEOUT_S}.00 seconds" in str(body["errorMessage"])
    assert _invoke(function, {})[0] is None  # a fresh worker serves the next invocation


def test_broken_package_fails_at_import(emulator: Emulator, function: str) -> None:
    lam = boto3.client("lambda")
    role = lam.get_function(FunctionName=function)["Configuration"]["Role"]
    lam.create_function(FunctionName="lc-runtime-broken", Runtime="python3.11", Role=role, Handler="missing.handler.handler",
                        Code={"ZipFile": _zip({"probe/handler.py": HANDLER})})
    error, body = _invoke("lc-runtime-broken", {})
    assert error == "Unhandled" and body["errorType"] == "Runtime.ImportModuleError"


def test_logs_go_to_the_functions_log_group(function: str) -> None:
    _invoke(function, {})
    events = boto3.client("logs").filter_log_events(logGroupName=f"/aws/lambda/{function}")["events"]
    assert any(e["message"].startswith("START RequestId:") for e in events)


def test_a_role_without_create_log_group_drops_logs_when_the_group_is_missing(function: str) -> None:
    # Given a function whose role may write its log streams but not create its log group, and no log group
    iam, lam = boto3.client("iam"), boto3.client("lambda")
    role = iam.create_role(RoleName="lc-runtime-nogroup", AssumeRolePolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"},
                                                "Action": "sts:AssumeRole"}]}))["Role"]["Arn"]
    iam.put_role_policy(RoleName="lc-runtime-nogroup", PolicyName="streams", PolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Resource": "*",
                                                "Action": ["logs:CreateLogStream", "logs:PutLogEvents"]}]}))
    like = lam.get_function(FunctionName=function)["Configuration"]
    lam.create_function(FunctionName="lc-runtime-nogroup", Runtime="python3.11", Role=role,
                        Handler="probe.handler.handler", Layers=[layer["Arn"] for layer in like["Layers"]],
                        Environment=like["Environment"],
                        Code={"ZipFile": _zip({"probe/__init__.py": "", "probe/handler.py": HANDLER})})
    # When it is invoked
    error, _ = _invoke("lc-runtime-nogroup", {})
    # Then it succeeds and, as in AWS, no log group appears
    groups = boto3.client("logs").describe_log_groups(logGroupNamePrefix="/aws/lambda/lc-runtime-nogroup")["logGroups"]
    assert (error, groups) == (None, [])


def test_fault_injection(emulator: Emulator, function: str) -> None:
    emulator.runtime.inject(function, "TransientError", times=2)
    for _ in range(2):
        error, body = _invoke(function, {})
        assert error == "Unhandled" and body["errorType"] == "TransientError"
    assert _invoke(function, {})[0] is None
    emulator.runtime.inject(function, "Boom", times=None)
    assert all(_invoke(function, {})[1]["errorType"] == "Boom" for _ in range(3))
    emulator.runtime.clear_faults()
    assert _invoke(function, {})[0] is None


def test_an_injected_kill_ends_the_running_invocation_mid_work_as_a_runtime_exit(emulator: Emulator,
                                                                               function: str) -> None:
    # Given the next invocation's worker is to be killed 0.5 s in
    emulator.runtime.kill(function, after_s=0.5)
    # When an invocation that would run 3 s (and then write an object) is made
    error, body = _invoke(function, {"sleep": 3, "call": True})
    # Then it is answered as AWS answers a runtime killed by a signal
    assert (error, body["errorType"]) == ("Unhandled", "Runtime.ExitError")
    assert "Error: Runtime exited with error: signal: killed" in str(body["errorMessage"])


def test_after_an_injected_kill_the_next_invocation_runs_in_a_fresh_worker(emulator: Emulator, function: str) -> None:
    emulator.runtime.kill(function, after_s=0.5)
    _invoke(function, {"sleep": 3})
    assert _invoke(function, {})[0] is None

"""Addition: Lambda invocations run the deployed code, without docker.

moto 5.2.5 runs functions in docker only. This replaces `LambdaFunction.invoke` so that every
invocation (Invoke API, Step Functions tasks, event source mappings, EventBridge/SNS targets)
runs the handler from the zip terraform uploaded, with the layer zips the function references
(also those uploaded to S3 and referenced by s3_bucket/s3_key), in a separate worker process
(`localcloud.lambda_workers`, in the sandbox of `localcloud.lambda_sandbox`):

* sys.path as in the python3.11 runtime: task root (the function zip), each layer's `python/`
  (and `python/lib/python3.11/site-packages`), then the runtime's own boto3/botocore, as AWS
  provides them; nothing else from this machine (`python -I -S`), so a missing package fails here.
* environment: the function's variables + the Lambda ones (AWS_LAMBDA_FUNCTION_NAME, _HANDLER,
  AWS_REGION, AWS_DEFAULT_REGION, LAMBDA_TASK_ROOT, ...) + AWS_ENDPOINT_URL=<emulator> and fake
  credentials. Nothing else of this process's environment is passed on.
* timeout: an invocation running longer than the function's timeout is killed and answered
  with `Sandbox.Timedout`, as Lambda does. Memory size is passed on but not enforced.
* warm workers: a worker serves one invocation at a time and is reused (like a warm execution
  environment) until the function's code, layers, handler, environment or timeout change.
* errors: FunctionError `Unhandled` with Lambda's `{errorType, errorMessage, stackTrace}` payload;
  import failures are `Runtime.ImportModuleError`.
* fault injection (tests): `LambdaRuntime.inject(name, error_type, times)` (`localcloud.lambda_faults`).
* `InvocationType=Event` runs in the background (two retries, then the function's dead-letter
  queue if it has one; AWS Lambda Developer Guide, "Asynchronous invocation"); logs of each
  invocation go to the `/aws/lambda/<name>` log group. A failure of the emulator itself in this
  background work is recorded in `localcloud.diagnostics`, never swallowed.
* metrics: every invocation publishes `AWS/Lambda` Invocations, Errors and Duration
  (`localcloud.metrics.lambda_invocations`).
"""

from __future__ import annotations

import base64
import threading
import time
import uuid
from typing import Any

from localcloud import arns, diagnostics
from localcloud.lambda_workers import Invocation, LambdaRuntime
from localcloud.metrics import lambda_invocations

__all__ = ["ASYNC_RETRIES", "Invocation", "LambdaRuntime", "install", "run"]

ASYNC_RETRIES = 2
_RUNTIME: LambdaRuntime | None = None


def _role_permits(role_arn: str, action: str, resource: str) -> bool:
    """True when the role's inline or attached policies allow `action` on `resource` (no Deny)."""
    from moto.iam.access_control import IAMPolicy, PermissionResult
    from moto.iam.exceptions import NotFoundException
    from moto.iam.models import iam_backends

    account = arns.parse(role_arn).account
    try:
        role = iam_backends[account]["global"].get_role_by_arn(role_arn)
    except NotFoundException:  # a role deleted meanwhile permits nothing
        return False
    results = {IAMPolicy(document).is_action_permitted(action, resource)
               for document in [*role.policies.values(), *role.managed_policies.values()]}
    return PermissionResult.PERMITTED in results and PermissionResult.DENIED not in results


def _save_logs(fn: Any, logs: str) -> None:
    from moto.core.utils import unix_time_millis

    if fn.logs_group_name not in fn.logs_backend.groups:
        # AWS: Lambda creates a missing log group only when the role allows logs:CreateLogGroup
        # ("Sending Lambda function logs to CloudWatch Logs"); otherwise the logs are dropped.
        group_arn = f"arn:aws:logs:{fn.region}:{fn.account_id}:log-group:{fn.logs_group_name}"
        if not _role_permits(fn.role, "logs:CreateLogGroup", group_arn):
            return
        fn.logs_backend.ensure_log_group(fn.logs_group_name)
    stream = f"{time.strftime('%Y/%m/%d')}/[$LATEST]{uuid.uuid4().hex}"
    fn.logs_backend.create_log_stream(fn.logs_group_name, stream)
    events = [{"timestamp": unix_time_millis(), "message": line} for line in logs.splitlines() if line.strip()]
    if events:
        fn.logs_backend.put_log_events(fn.logs_group_name, stream, events)


def run(fn: Any, event: str) -> Invocation:
    """Invoke synchronously and record the logs (used by every caller of a function)."""
    if _RUNTIME is None:
        raise RuntimeError("the localcloud Lambda runtime is not installed (call lambda_runtime.install first)")
    result = _RUNTIME.invoke(fn, event)
    # Writing the log group and the metrics must never fail the invocation; a failure is the emulator's, and recorded.
    with diagnostics.guarded("lambda.save_logs", fn.function_arn):
        _save_logs(fn, result.logs)
    with diagnostics.guarded("lambda.metrics", fn.function_arn):
        lambda_invocations.publish(fn, error=result.error, duration_s=result.duration_s)
    return result


def _dead_letter(fn: Any, event: str) -> None:
    target = (getattr(fn, "dead_letter_config", None) or {}).get("TargetArn")
    if not target:
        return
    parsed = arns.parse(target)
    if parsed.service == "sqs":
        from moto.sqs.models import sqs_backends

        sqs_backends[parsed.account][parsed.region].send_message(queue_name=parsed.resource, message_body=event)
    elif parsed.service == "sns":
        from moto.sns.models import sns_backends

        sns_backends[parsed.account][parsed.region].publish(message=event, arn=target)


def _run_async(fn: Any, event: str) -> None:
    with diagnostics.guarded("lambda.async_invoke", fn.function_arn):
        for attempt in range(ASYNC_RETRIES + 1):
            if not run(fn, event).error:
                return
            time.sleep(min(2.0, 0.5 * (attempt + 1)))
        _dead_letter(fn, event)


def _invoke(self: Any, body: str, request_headers: Any, response_headers: Any) -> str | bytes:
    event = body if body else "{}"
    invocation_type = request_headers.get("x-amz-invocation-type", "RequestResponse")
    if invocation_type == "DryRun":
        return b""
    if invocation_type == "Event":
        threading.Thread(target=_run_async, args=(self, event), daemon=True).start()
        return b""
    result = run(self, event)
    if result.error:
        response_headers["x-amz-function-error"] = "Unhandled"
    if request_headers.get("x-amz-log-type") == "Tail":
        response_headers["x-amz-log-result"] = base64.b64encode(result.logs.encode()[-4096:]).decode()
    return result.payload


def install(runtime: LambdaRuntime) -> None:
    """Route every moto Lambda invocation through `runtime`."""
    global _RUNTIME
    from moto.awslambda.models import LambdaFunction

    _RUNTIME = runtime
    LambdaFunction.invoke = _invoke  # type: ignore[method-assign]
    # moto keeps the raw spec; expose the dead-letter config to `_dead_letter`.
    original_init = LambdaFunction.__init__
    if not getattr(original_init, "_localcloud", False):
        def __init__(self: Any, account_id: str, spec: dict[str, Any], region: str, version: Any = 1) -> None:
            original_init(self, account_id, spec, region, version)
            self.dead_letter_config = spec.get("DeadLetterConfig") or {}
        __init__._localcloud = True  # type: ignore[attr-defined]
        LambdaFunction.__init__ = __init__  # type: ignore[method-assign]

"""Addition: Lambda invocations run the deployed code, without docker.

moto 5.2.5 runs functions in docker only. This replaces `LambdaFunction.invoke` so that every
invocation (Invoke API, Step Functions tasks, event source mappings, EventBridge/SNS targets)
runs the handler from the zip terraform uploaded, with the layer zips the function references
(also those uploaded to S3 and referenced by s3_bucket/s3_key), in a separate worker process:

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
* fault injection (tests): `LambdaRuntime.inject(name, error_type, times)` makes the next `times`
  invocations (or all, `times=None`) of a function fail with that error type without running it,
  as a function error; `clear_faults()` ends it.
* `InvocationType=Event` runs in the background (two retries, then the function's dead-letter
  queue if it has one); logs of each invocation go to the `/aws/lambda/<name>` log group.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import select
import shutil
import subprocess
import sys
import threading
import time
import uuid
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BOOTSTRAP = Path(__file__).with_name("lambda_bootstrap.py")
# What the python3.11 runtime itself provides (its /var/runtime): the AWS SDK.
RUNTIME_PACKAGES = ("boto3", "botocore", "s3transfer", "jmespath", "dateutil", "urllib3", "six.py")
ASYNC_RETRIES = 2


@dataclass
class Invocation:
    """The outcome of one invocation."""

    payload: bytes
    error: bool
    logs: str
    duration_s: float


@dataclass
class _Worker:
    key: str
    process: subprocess.Popen[bytes]
    answers: Any  # file object reading the worker's answer pipe
    log_file: Any


@dataclass
class LambdaRuntime:
    """Worker processes running deployed Lambda code; one instance per emulator."""

    endpoint_url: str
    cache_dir: Path
    log_dir: Path
    region: str = "us-east-1"
    _idle: dict[str, list[_Worker]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _all: set[int] = field(default_factory=set)
    invocations: list[tuple[str, float, bool]] = field(default_factory=list)
    _faults: dict[str, list[Any]] = field(default_factory=dict)  # name -> [error_type, message, remaining|None]

    # -- fault injection --------------------------------------------------------------------
    def inject(self, function_name: str, error_type: str, *, times: int | None = 1,
               message: str = "fault injected by localcloud") -> None:
        """Fail the next `times` invocations (None: every one) of `function_name` with `error_type`."""
        with self._lock:
            self._faults[function_name] = [error_type, message, times]

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()

    def _fault(self, function_name: str) -> tuple[str, str] | None:
        with self._lock:
            fault = self._faults.get(function_name)
            if fault is None:
                return None
            error_type, message, remaining = fault
            if remaining is not None:
                if remaining <= 1:
                    del self._faults[function_name]
                else:
                    fault[2] = remaining - 1
            return error_type, message

    # -- code and layers --------------------------------------------------------------------
    def _extract(self, kind: str, code: bytes) -> Path:
        digest = hashlib.sha256(code).hexdigest()[:24]
        target = self.cache_dir / kind / digest
        if target.is_dir():
            return target
        tmp = target.with_name(f"{digest}.tmp-{uuid.uuid4().hex[:8]}")
        tmp.mkdir(parents=True)
        import io

        with zipfile.ZipFile(io.BytesIO(code)) as archive:
            archive.extractall(tmp)
        try:
            tmp.rename(target)
        except OSError:  # a concurrent extraction won
            shutil.rmtree(tmp, ignore_errors=True)
        return target

    def _runtime_dir(self) -> Path:
        target = self.cache_dir / "runtime-python3.11"
        if not target.is_dir():
            import boto3

            site = Path(boto3.__file__).resolve().parent.parent
            tmp = target.with_name(f"runtime.tmp-{uuid.uuid4().hex[:8]}")
            tmp.mkdir(parents=True)
            for name in RUNTIME_PACKAGES:
                if (site / name).exists():
                    (tmp / name).symlink_to(site / name)
            try:
                tmp.rename(target)
            except OSError:
                shutil.rmtree(tmp, ignore_errors=True)
        return target

    def _layers(self, fn: Any) -> list[Path]:
        from moto.awslambda.utils import get_backend

        backend = get_backend(fn.account_id, fn.region)
        paths = []
        for layer in fn.layers:
            version = backend.layers_versions_by_arn(layer["Arn"])
            if version is None or not version.code_bytes:
                raise RuntimeError(f"layer {layer['Arn']} has no content (its S3 object was missing at publish time?)")
            paths.append(self._extract("layers", version.code_bytes))
        return paths

    # -- workers ----------------------------------------------------------------------------
    def _environment(self, fn: Any, task_root: Path) -> dict[str, str]:
        name = fn.function_name
        env = {
            "PATH": "/usr/local/bin:/usr/bin:/bin",
            "LANG": "en_US.UTF-8",
            "TZ": ":UTC",
            "LAMBDA_TASK_ROOT": str(task_root),
            "LAMBDA_RUNTIME_DIR": str(self._runtime_dir()),
            "_HANDLER": fn.handler or "",
            "AWS_EXECUTION_ENV": f"AWS_Lambda_{fn.run_time}",
            "AWS_LAMBDA_FUNCTION_NAME": name,
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(fn.memory_size),
            "AWS_LAMBDA_FUNCTION_VERSION": str(fn.version) if str(fn.version) != "1" else "$LATEST",
            "AWS_LAMBDA_LOG_GROUP_NAME": f"/aws/lambda/{name}",
            "AWS_LAMBDA_LOG_STREAM_NAME": f"local/[$LATEST]{uuid.uuid4().hex}",
            "AWS_LAMBDA_INITIALIZATION_TYPE": "on-demand",
            "AWS_XRAY_CONTEXT_MISSING": "LOG_ERROR",
            "AWS_XRAY_DAEMON_ADDRESS": "127.0.0.1:2000",
            "AWS_REGION": fn.region,
            "AWS_DEFAULT_REGION": fn.region,
            "AWS_ACCESS_KEY_ID": "test",
            "AWS_SECRET_ACCESS_KEY": "test",
            "AWS_SESSION_TOKEN": "test",
            "AWS_ENDPOINT_URL": self.endpoint_url,
            "AWS_ACCOUNT_ID_ENDPOINT_MODE": "disabled",
        }
        env.update({k: str(v) for k, v in (fn.environment_vars or {}).items()})
        return env

    def _key(self, fn: Any) -> str:
        layer_arns = [layer["Arn"] for layer in fn.layers]
        material = json.dumps([fn.function_arn, fn.code_digest, layer_arns, fn.handler, fn.timeout,
                               fn.memory_size, fn.environment_vars], sort_keys=True, default=str)
        return hashlib.sha256(material.encode()).hexdigest()

    def _spawn(self, fn: Any, key: str) -> _Worker:
        task_root = self._extract("code", fn.code_bytes)
        layers = self._layers(fn)
        read_fd, write_fd = os.pipe()
        self.log_dir.mkdir(parents=True, exist_ok=True)
        log_file = open(self.log_dir / f"{fn.function_name}.log", "ab")  # noqa: SIM115 - lives with the worker
        process = subprocess.Popen(
            [sys.executable, "-I", "-S", str(BOOTSTRAP), str(write_fd), str(task_root), str(self._runtime_dir()),
             *map(str, layers)],
            stdin=subprocess.PIPE, stdout=log_file, stderr=log_file, env=self._environment(fn, task_root),
            cwd=task_root, pass_fds=(write_fd,),
        )
        os.close(write_fd)
        self._all.add(process.pid)
        return _Worker(key, process, os.fdopen(read_fd, "r", encoding="utf-8"), log_file)

    def _checkout(self, fn: Any) -> _Worker:
        key = self._key(fn)
        with self._lock:
            idle = self._idle.get(fn.function_arn, [])
            stale = [w for w in idle if w.key != key or w.process.poll() is not None]
            for worker in stale:
                idle.remove(worker)
                self._kill(worker)
            if idle:
                return idle.pop()
        return self._spawn(fn, key)

    def _checkin(self, fn: Any, worker: _Worker) -> None:
        with self._lock:
            self._idle.setdefault(fn.function_arn, []).append(worker)

    def _kill(self, worker: _Worker) -> None:
        if worker.process.poll() is None:
            worker.process.kill()
        worker.process.wait()
        self._all.discard(worker.process.pid)
        worker.answers.close()
        worker.log_file.close()

    def shutdown(self) -> None:
        """Stop every worker."""
        with self._lock:
            workers = [w for ws in self._idle.values() for w in ws]
            self._idle.clear()
        for worker in workers:
            self._kill(worker)

    # -- invoke -----------------------------------------------------------------------------
    def invoke(self, fn: Any, event: str) -> Invocation:
        """Run one invocation of `fn` (a moto LambdaFunction) with the JSON text `event`."""
        started = time.time()
        request_id = str(uuid.uuid4())
        deadline = started + float(fn.timeout)
        fault = self._fault(fn.function_name)
        if fault is not None:
            self.invocations.append((fn.function_name, 0.0, True))
            payload = {"errorType": fault[0], "errorMessage": fault[1], "requestId": request_id, "stackTrace": []}
            return Invocation(json.dumps(payload).encode(), True, f"[localcloud] injected {fault[0]}", 0.0)
        try:
            worker = self._checkout(fn)
        except Exception as exc:
            payload = {"errorType": "Runtime.InvalidEntrypoint", "errorMessage": str(exc)}
            return Invocation(json.dumps(payload).encode(), True, str(exc), time.time() - started)
        request = {"event": event, "request_id": request_id, "deadline": deadline,
                   "function_arn": fn.function_arn, "trace_id": f"Root=1-{int(started):08x}-{uuid.uuid4().hex[:24]};Sampled=0"}
        try:
            worker.process.stdin.write((json.dumps(request) + "\n").encode())  # type: ignore[union-attr]
            worker.process.stdin.flush()  # type: ignore[union-attr]
            ready, _, _ = select.select([worker.answers], [], [], max(0.0, deadline - time.time()))
            line = worker.answers.readline() if ready else ""
        except (BrokenPipeError, OSError):
            line = ""
        duration = time.time() - started
        if not line:
            timed_out = time.time() >= deadline
            self._kill(worker)
            if timed_out:
                message = f"RequestId: {request_id} Error: Task timed out after {float(fn.timeout):.2f} seconds"
                payload = {"errorType": "Sandbox.Timedout", "errorMessage": message}
            else:
                message = f"RequestId: {request_id} Error: Runtime exited with error: exit status {worker.process.returncode}"
                payload = {"errorType": "Runtime.ExitError", "errorMessage": message}
            self.invocations.append((fn.function_name, duration, True))
            return Invocation(json.dumps(payload).encode(), True, message, duration)
        answer = json.loads(line)
        if worker.process.poll() is None:
            self._checkin(fn, worker)
        else:
            self._kill(worker)
        self.invocations.append((fn.function_name, duration, answer["error"]))
        return Invocation(answer["payload"].encode(), answer["error"], answer["logs"], duration)


_RUNTIME: LambdaRuntime | None = None


def _save_logs(fn: Any, logs: str) -> None:
    try:
        from moto.core.utils import unix_time_millis

        fn.logs_backend.ensure_log_group(fn.logs_group_name)
        stream = f"{time.strftime('%Y/%m/%d')}/[$LATEST]{uuid.uuid4().hex}"
        fn.logs_backend.create_log_stream(fn.logs_group_name, stream)
        now = unix_time_millis()
        events = [{"timestamp": now, "message": line} for line in logs.splitlines() if line.strip()]
        if events:
            fn.logs_backend.put_log_events(fn.logs_group_name, stream, events)
    except Exception:  # noqa: S110 - logging must never fail an invocation
        pass


def run(fn: Any, event: str) -> Invocation:
    """Invoke synchronously and record the logs (used by every caller of a function)."""
    assert _RUNTIME is not None, "lambda runtime not installed"
    result = _RUNTIME.invoke(fn, event)
    _save_logs(fn, result.logs)
    return result


def _dead_letter(fn: Any, event: str) -> None:
    target = (getattr(fn, "dead_letter_config", None) or {}).get("TargetArn")
    if not target:
        return
    service, region, account, name = target.split(":")[2:6]
    if service == "sqs":
        from moto.sqs.models import sqs_backends

        sqs_backends[account][region].send_message(queue_name=name, message_body=event)
    elif service == "sns":
        from moto.sns.models import sns_backends

        sns_backends[account][region].publish(message=event, arn=target)


def _run_async(fn: Any, event: str) -> None:
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

"""The Lambda worker pool: one process per warm execution environment, invocations, timeouts.

A worker (`localcloud/patches/lambda_bootstrap.py` under `python -I -S`) serves one invocation at
a time and is reused until the function's code, layers, handler, environment or timeout change.
An invocation running past the function's timeout is killed and answered `Sandbox.Timedout`; a
worker that dies answers `Runtime.ExitError`; code that cannot be read answers
`Runtime.InvalidEntrypoint` (AWS Lambda Developer Guide, "Lambda function errors in Python" /
"Invoke" API errors). Any other failure to start a worker is an emulator fault
(`localcloud.diagnostics`). The moto glue that routes invocations here is
`localcloud.patches.lambda_runtime`.
"""

from __future__ import annotations

import hashlib
import json
import os
import select
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from localcloud import diagnostics
from localcloud.lambda_faults import DEFAULT_MESSAGE, InjectedFaults
from localcloud.lambda_sandbox import CodeUnavailable, LambdaSandbox

BOOTSTRAP = Path(__file__).parent / "patches" / "lambda_bootstrap.py"


@dataclass
class Invocation:
    """The outcome of one invocation."""

    payload: bytes
    error: bool
    logs: str
    duration_s: float


def _failure(error_type: str, message: str, duration: float, *, logs: str | None = None, **extra: Any) -> Invocation:
    payload = {"errorType": error_type, "errorMessage": message, **extra}
    return Invocation(json.dumps(payload).encode(), True, message if logs is None else logs, duration)


@dataclass
class _Worker:
    key: str
    process: subprocess.Popen[bytes]
    answers: Any  # file object reading the worker's answer pipe
    log_file: Any


@dataclass(kw_only=True)
class LambdaRuntime:
    """Worker processes running deployed Lambda code; one instance per emulator."""

    endpoint_url: str
    cache_dir: Path
    log_dir: Path
    region: str = "us-east-1"
    faults: InjectedFaults = field(default_factory=InjectedFaults)
    invocations: list[tuple[str, float, bool]] = field(default_factory=list)
    _idle: dict[str, list[_Worker]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _all: set[int] = field(default_factory=set)

    def inject(self, function_name: str, error_type: str, *, times: int | None = 1,
               message: str = DEFAULT_MESSAGE) -> None:
        """Fail the next `times` invocations (None: every one) of `function_name` (`localcloud.lambda_faults`)."""
        self.faults.inject(function_name, error_type, times=times, message=message)

    def clear_faults(self) -> None:
        """End every injected fault."""
        self.faults.clear()

    @property
    def sandbox(self) -> LambdaSandbox:
        return LambdaSandbox(cache_dir=self.cache_dir, endpoint_url=self.endpoint_url)

    def _key(self, fn: Any) -> str:
        layer_arns = [layer["Arn"] for layer in fn.layers]
        material = json.dumps([fn.function_arn, fn.code_digest, layer_arns, fn.handler, fn.timeout,
                               fn.memory_size, fn.environment_vars], sort_keys=True, default=str)
        return hashlib.sha256(material.encode()).hexdigest()

    def _spawn(self, fn: Any, key: str) -> _Worker:
        sandbox = self.sandbox
        task_root, layers, runtime_dir = sandbox.code(fn), sandbox.layers(fn), sandbox.runtime_dir()
        read_fd, write_fd = os.pipe()
        self.log_dir.mkdir(parents=True, exist_ok=True)
        log_file = open(self.log_dir / f"{fn.function_name}.log", "ab")  # noqa: SIM115 - lives with the worker
        process = subprocess.Popen(
            [sys.executable, "-I", "-S", str(BOOTSTRAP), str(write_fd), str(task_root), str(runtime_dir),
             *map(str, layers)],
            stdin=subprocess.PIPE, stdout=log_file, stderr=log_file, env=sandbox.environment(fn, task_root),
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

    def _start(self, fn: Any) -> _Worker | Invocation:
        try:
            return self._checkout(fn)
        except CodeUnavailable as exc:
            return _failure("Runtime.InvalidEntrypoint", str(exc), 0.0)
        except Exception as exc:  # not the function's fault: recorded, and the caller still gets an answer
            diagnostics.record("lambda.start_worker", fn.function_arn, exc)
            return _failure("Runtime.InvalidEntrypoint", f"{type(exc).__name__}: {exc}", 0.0)

    def _exchange(self, worker: _Worker, request: dict[str, Any], deadline: float) -> str:
        """Send one request; the worker's answer line, or "" when it died or the deadline passed."""
        try:
            worker.process.stdin.write((json.dumps(request) + "\n").encode())  # type: ignore[union-attr]
            worker.process.stdin.flush()  # type: ignore[union-attr]
            ready, _, _ = select.select([worker.answers], [], [], max(0.0, deadline - time.time()))
            return str(worker.answers.readline()) if ready else ""
        except OSError:  # BrokenPipeError included: the worker exited (the function called os._exit, crashed)
            return ""

    def _lost(self, fn: Any, worker: _Worker, request_id: str, deadline: float, duration: float) -> Invocation:
        timed_out = time.time() >= deadline
        self._kill(worker)
        self.invocations.append((fn.function_name, duration, True))
        if timed_out:
            message = f"RequestId: {request_id} Error: Task timed out after {float(fn.timeout):.2f} seconds"
            return _failure("Sandbox.Timedout", message, duration)
        message = f"RequestId: {request_id} Error: Runtime exited with error: exit status {worker.process.returncode}"
        return _failure("Runtime.ExitError", message, duration)

    def invoke(self, fn: Any, event: str) -> Invocation:
        """Run one invocation of `fn` (a moto LambdaFunction) with the JSON text `event`."""
        started, request_id = time.time(), str(uuid.uuid4())
        deadline = started + float(fn.timeout)
        fault = self.faults.take(fn.function_name)
        if fault is not None:
            self.invocations.append((fn.function_name, 0.0, True))
            return _failure(fault[0], fault[1], 0.0, logs=f"[localcloud] injected {fault[0]}",
                            requestId=request_id, stackTrace=[])
        worker = self._start(fn)
        if isinstance(worker, Invocation):
            return worker
        request = {"event": event, "request_id": request_id, "deadline": deadline, "function_arn": fn.function_arn,
                   "trace_id": f"Root=1-{int(started):08x}-{uuid.uuid4().hex[:24]};Sampled=0"}
        line = self._exchange(worker, request, deadline)
        duration = time.time() - started
        if not line:
            return self._lost(fn, worker, request_id, deadline, duration)
        answer = json.loads(line)
        if worker.process.poll() is None:
            self._checkin(fn, worker)
        else:
            self._kill(worker)
        self.invocations.append((fn.function_name, duration, answer["error"]))
        return Invocation(answer["payload"].encode(), answer["error"], answer["logs"], duration)

"""The Lambda worker pool: one process per warm execution environment, invocations, timeouts.

A worker (`localcloud/patches/lambda_bootstrap.py` under `python -I -S`) serves one invocation at
a time and is reused until the function's code, layers, handler, environment or timeout change.
An invocation running past the function's timeout is killed and answered `Sandbox.Timedout`; a
worker that dies answers `Runtime.ExitError`; code that cannot be read answers
`Runtime.InvalidEntrypoint` (AWS Lambda Developer Guide, "Lambda function errors in Python" /
"Invoke" API errors). A new worker first runs the Init phase (imports the handler) within Lambda's
10 s Init limit, before the invocation's own timeout starts; an Init that runs longer is retried
within the function timeout, as AWS does ("Lambda execution environment lifecycle"). At most one
Init per CPU core runs at a time: on AWS each environment initializes on its own CPU, while here
they share this machine's cores, and sixteen simultaneous cold imports on two cores stretched every
one of them past a 10 s timeout. An Init waiting for a core is not timed, as no AWS environment
would wait. Any other failure to start a worker is an emulator fault
(`localcloud.diagnostics`). The moto glue that routes invocations here is
`localcloud.patches.lambda_runtime`.
"""

from __future__ import annotations

import hashlib
import json
import os
import select
import signal
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
INIT_LIMIT_S = 10.0  # "The Init phase is limited to 10 seconds." (Developer Guide, execution environment lifecycle)


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
    init_logs: str = ""  # what the Init phase printed: CloudWatch shows it before the first invocation's lines


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
    _init_slots: threading.BoundedSemaphore = field(
        default_factory=lambda: threading.BoundedSemaphore(max(1, len(os.sched_getaffinity(0)))))

    def kill(self, function_name: str, *, after_s: float, times: int = 1) -> None:
        """Kill the worker of the next `times` invocations of `function_name` `after_s` seconds in."""
        self.faults.kill(function_name, after_s=after_s, times=times)

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

    def _checkout(self, fn: Any) -> tuple[_Worker, float] | Invocation:
        """A ready worker and the moment its invocation's timeout starts, or the answer of a failed Init."""
        key = self._key(fn)
        with self._lock:
            idle = self._idle.get(fn.function_arn, [])
            stale = [w for w in idle if w.key != key or w.process.poll() is not None]
            for worker in stale:
                idle.remove(worker)
                self._kill(worker)
            if idle:
                return idle.pop(), time.time()
        with self._init_slots:
            worker = self._spawn(fn, key)
            return self._init(fn, worker)

    def _init(self, fn: Any, worker: _Worker) -> tuple[_Worker, float] | Invocation:
        started = time.time()
        line, retried_at = self._answer(worker, started + INIT_LIMIT_S), None
        if line is None:  # suppressed Init: AWS retries it within the first invocation's timeout
            retried_at = time.time()
            line = self._answer(worker, retried_at + float(fn.timeout))
        if line:
            report = json.loads(line)
            if report["init"]:
                worker.init_logs = report["logs"]
                return worker, time.time() if retried_at is None else retried_at
            self._kill(worker)
            return Invocation(report["payload"].encode(), True, report["logs"], time.time() - started)
        self._kill(worker)
        if line is None:
            return _failure("Sandbox.Timedout", f"Init phase timed out after {INIT_LIMIT_S + float(fn.timeout):.2f} seconds",
                            time.time() - started)
        return _failure("Runtime.ExitError", f"Error: Runtime exited with error: exit status {worker.process.returncode}",
                        time.time() - started)

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

    def _start(self, fn: Any) -> tuple[_Worker, float] | Invocation:
        try:
            return self._checkout(fn)
        except CodeUnavailable as exc:
            return _failure("Runtime.InvalidEntrypoint", str(exc), 0.0)
        except Exception as exc:  # not the function's fault: recorded, and the caller still gets an answer
            diagnostics.record("lambda.start_worker", fn.function_arn, exc)
            return _failure("Runtime.InvalidEntrypoint", f"{type(exc).__name__}: {exc}", 0.0)

    @staticmethod
    def _answer(worker: _Worker, deadline: float) -> str | None:
        """The worker's next answer line; "" when it died, None when the deadline passed first."""
        ready, _, _ = select.select([worker.answers], [], [], max(0.0, deadline - time.time()))
        return str(worker.answers.readline()) if ready else None

    def _exchange(self, worker: _Worker, request: dict[str, Any], deadline: float) -> str:
        """Send one request; the worker's answer line, or "" when it died or the deadline passed."""
        try:
            worker.process.stdin.write((json.dumps(request) + "\n").encode())  # type: ignore[union-attr]
            worker.process.stdin.flush()  # type: ignore[union-attr]
            return self._answer(worker, deadline) or ""
        except OSError:  # BrokenPipeError included: the worker exited (the function called os._exit, crashed)
            return ""

    def _lost(self, fn: Any, worker: _Worker, request_id: str, deadline: float, duration: float) -> Invocation:
        timed_out = time.time() >= deadline
        self._kill(worker)
        self.invocations.append((fn.function_name, duration, True))
        if timed_out:
            message = f"RequestId: {request_id} Error: Task timed out after {float(fn.timeout):.2f} seconds"
            return _failure("Sandbox.Timedout", message, duration)
        code = worker.process.returncode
        how = ("signal: killed" if code == -signal.SIGKILL else f"signal: {signal.Signals(-code).name}") if code < 0 \
            else f"exit status {code}"  # AWS's wording for a runtime killed by a signal (SIGKILL: out of memory)
        message = f"RequestId: {request_id} Error: Runtime exited with error: {how}"
        return _failure("Runtime.ExitError", message, duration)

    def invoke(self, fn: Any, event: str) -> Invocation:
        """Run one invocation of `fn` (a moto LambdaFunction) with the JSON text `event`."""
        request_id = str(uuid.uuid4())
        fault = self.faults.take(fn.function_name)
        if fault is not None and fault.kill_after_s is None:
            self.invocations.append((fn.function_name, 0.0, True))
            return _failure(fault.error_type, fault.message, 0.0, logs=f"[localcloud] injected {fault.error_type}",
                            requestId=request_id, stackTrace=[])
        ready = self._start(fn)
        if isinstance(ready, Invocation):
            self.invocations.append((fn.function_name, ready.duration_s, True))
            return ready
        worker, started = ready
        deadline = started + float(fn.timeout)
        request = {"event": event, "request_id": request_id, "deadline": deadline, "function_arn": fn.function_arn,
                   "trace_id": f"Root=1-{int(started):08x}-{uuid.uuid4().hex[:24]};Sampled=0"}
        killer = threading.Timer(fault.kill_after_s, worker.process.kill) if fault and fault.kill_after_s else None
        if killer is not None:
            killer.start()  # an injected kill: the worker dies mid-invocation, SIGKILL as the OOM killer sends
        line = self._exchange(worker, request, deadline)
        if killer is not None:
            killer.cancel()
        duration = time.time() - started
        if not line:
            return self._lost(fn, worker, request_id, deadline, duration)
        answer = json.loads(line)
        logs, worker.init_logs = worker.init_logs + answer["logs"], ""
        if worker.process.poll() is None:
            self._checkin(fn, worker)
        else:
            self._kill(worker)
        self.invocations.append((fn.function_name, duration, answer["error"]))
        return Invocation(answer["payload"].encode(), answer["error"], logs, duration)

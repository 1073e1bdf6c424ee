"""Runs inside a Lambda worker process (stdlib only: it starts before the function's sys.path is set).

Started as `python -I -S lambda_bootstrap.py <answer_fd> <task_root> <runtime_dir> <layer_dir>...`, it builds
sys.path as the python3.11 Lambda runtime does (task root, then each layer's `python/` and
`python/lib/python3.11/site-packages`, then the runtime's own packages), imports the handler named
by `_HANDLER` (the Init phase) and then serves invocations read as JSON lines from stdin.
The first line on `answer_fd` reports the Init phase: `{"init": true, "logs": str}`, or
`{"init": false, "payload": <error>, "logs": str}` and the worker exits (AWS discards an execution
environment whose Init failed). Each later line answers one invocation:
`{"payload": ..., "error": bool, "logs": str}`.
"""

from __future__ import annotations

import importlib
import io
import json
import os
import sys
import time
import traceback
from typing import Any


class _Tee(io.TextIOBase):
    """stdout/stderr stand-in: echoes to the real stream and records the current invocation's log."""

    def __init__(self, real: Any) -> None:
        self.real = real
        self.buffer_: list[str] = []

    def write(self, text: str) -> int:  # type: ignore[override]
        self.buffer_.append(text)
        self.real.write(text)
        self.real.flush()
        return len(text)

    def flush(self) -> None:
        self.real.flush()

    def isatty(self) -> bool:
        return False

    def take(self) -> str:
        text, self.buffer_ = "".join(self.buffer_), []
        return text


class Context:
    """The attributes of Lambda's context object that handlers and Powertools read."""

    def __init__(self, request: dict[str, Any]) -> None:
        self.function_name = os.environ["AWS_LAMBDA_FUNCTION_NAME"]
        self.function_version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
        self.invoked_function_arn = request["function_arn"]
        self.memory_limit_in_mb = int(os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128"))
        self.aws_request_id = request["request_id"]
        self.log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME", "")
        self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME", "")
        self.identity = None
        self.client_context = None
        self._deadline = request["deadline"]

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.time()) * 1000))


def _error(exc: BaseException, error_type: str | None = None) -> dict[str, Any]:
    return {
        "errorMessage": str(exc),
        "errorType": error_type or type(exc).__name__,
        "requestId": "",
        "stackTrace": traceback.format_tb(exc.__traceback__),
    }


def main() -> None:
    answer_fd, task_root, runtime_dir, *layers = sys.argv[1:]
    paths = [task_root]
    for layer in layers:
        paths += [os.path.join(layer, "python"), os.path.join(layer, "python", "lib", "python3.11", "site-packages")]
    sys.path[:0] = paths
    sys.path.append(runtime_dir)
    os.chdir(task_root)
    answers = os.fdopen(int(answer_fd), "w", encoding="utf-8")
    out, err = _Tee(sys.stdout), _Tee(sys.stderr)
    sys.stdout, sys.stderr = out, err  # before the handler module binds loggers to them
    handler = _init(answers, out, err)
    if handler is None:
        return
    for line in sys.stdin:
        request = json.loads(line)
        os.environ["_X_AMZN_TRACE_ID"] = request.get("trace_id", "")
        print(f"START RequestId: {request['request_id']} Version: $LATEST")
        error = False
        try:
            payload = json.dumps(handler(json.loads(request["event"]), Context(request)))
        except Exception as exc:
            traceback.print_exc()
            error, payload = True, json.dumps(_error(exc))
        print(f"END RequestId: {request['request_id']}")
        logs = out.take() + err.take()
        answers.write(json.dumps({"payload": payload, "error": error, "logs": logs}) + "\n")
        answers.flush()


def _init(answers: Any, out: _Tee, err: _Tee) -> Any:
    """The Init phase: import the handler; report it on `answers`; the handler, or None when Init failed."""
    try:
        handler = _import_handler()
    except _InitError as exc:
        failure = {**_error(exc, exc.error_type), "stackTrace": []}
        answers.write(json.dumps({"init": False, "payload": json.dumps(failure), "logs": out.take() + err.take()}) + "\n")
        answers.flush()
        return None
    answers.write(json.dumps({"init": True, "logs": out.take() + err.take()}) + "\n")
    answers.flush()
    return handler


def _import_handler() -> Any:
    module_name, _, function_name = os.environ["_HANDLER"].rpartition(".")
    try:
        module = importlib.import_module(module_name)
    except Exception as exc:  # Lambda reports an init failure this way
        traceback.print_exc()
        raise _InitError(f"Unable to import module '{module_name}': {exc}", "Runtime.ImportModuleError") from exc
    handler = getattr(module, function_name, None)
    if handler is None:
        raise _InitError(f"Handler '{function_name}' missing on module '{module_name}'", "Runtime.HandlerNotFound")
    return handler


class _InitError(Exception):
    def __init__(self, message: str, error_type: str) -> None:
        super().__init__(message)
        self.error_type = error_type


if __name__ == "__main__":
    main()

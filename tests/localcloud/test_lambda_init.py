"""The Init phase of a new worker: timed apart from the invocation, within Lambda's 10 s limit.

AWS Lambda Developer Guide, "Lambda execution environment lifecycle": "The Init phase is limited
to 10 seconds. If all three tasks do not complete within 10 seconds, Lambda retries the Init phase
at the time of the first function invocation with the configured function timeout."
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

import boto3
import pytest

from localcloud import lambda_workers
from localcloud.emulator import Emulator
from tests.localcloud.helpers import function

# Burns about a second of CPU at import, like a cold `import boto3` + Powertools does.
CPU_HEAVY_INIT = '''
import time
_until = time.process_time() + 1.0
while time.process_time() < _until:
    pass

def handler(event, context):
    return {"remaining_ms": context.get_remaining_time_in_millis()}
'''
SLEEPING_INIT = '''
import time
time.sleep({seconds})

def handler(event, context):
    return {{"remaining_ms": context.get_remaining_time_in_millis()}}
'''
EXITING_INIT = "import os\nos._exit(3)\n"


def _invoke(name: str) -> tuple[str | None, dict[str, object]]:
    response = boto3.client("lambda").invoke(FunctionName=name, Payload=b"{}")
    return response.get("FunctionError"), json.loads(response["Payload"].read())


def test_concurrent_cold_starts_all_answer(emulator: Emulator) -> None:
    # Given a function whose Init takes a second of CPU and whose timeout is 3 s
    function("lc-init-cpu", CPU_HEAVY_INIT, Timeout=3)
    # When eight invocations arrive at once, each needing a new worker, on a machine with fewer cores
    with ThreadPoolExecutor(8) as pool:
        errors = list(pool.map(lambda _: _invoke("lc-init-cpu")[0], range(8)))
    # Then every one is answered by the handler, as eight AWS environments would answer
    assert errors == [None] * 8


def test_the_invocation_timeout_starts_after_init(emulator: Emulator) -> None:
    # Given a function with a 1 s timeout whose Init sleeps 2 s (within the 10 s Init limit)
    function("lc-init-slow", SLEEPING_INIT.format(seconds=2), Timeout=1)
    # When it is invoked cold
    error, body = _invoke("lc-init-slow")
    # Then the handler runs with most of its second still left
    assert (error, int(str(body["remaining_ms"])) > 500) == (None, True)


def test_an_init_over_the_limit_is_retried_within_the_function_timeout(
        emulator: Emulator, monkeypatch: pytest.MonkeyPatch) -> None:
    # Given an Init limit of 0.5 s and a function whose Init sleeps 1 s, with a 5 s timeout
    monkeypatch.setattr(lambda_workers, "INIT_LIMIT_S", 0.5)
    function("lc-init-suppressed", SLEEPING_INIT.format(seconds=1), Timeout=5)
    # When it is invoked cold
    error, body = _invoke("lc-init-suppressed")
    # Then it answers, the rest of the Init having counted against the function timeout
    assert (error, int(str(body["remaining_ms"])) < 5000) == (None, True)


def test_an_init_over_the_limit_and_the_timeout_times_out(emulator: Emulator, monkeypatch: pytest.MonkeyPatch) -> None:
    # Given an Init limit of 0.5 s and a function whose Init sleeps 3 s, with a 1 s timeout
    monkeypatch.setattr(lambda_workers, "INIT_LIMIT_S", 0.5)
    function("lc-init-timeout", SLEEPING_INIT.format(seconds=3), Timeout=1)
    # When it is invoked cold
    error, body = _invoke("lc-init-timeout")
    # Then Lambda answers Sandbox.Timedout
    assert (error, body["errorType"]) == ("Unhandled", "Sandbox.Timedout")


def test_an_init_that_exits_answers_exit_error(emulator: Emulator) -> None:
    # Given a function whose module exits the process while it is imported
    function("lc-init-exit", EXITING_INIT)
    # When it is invoked
    error, body = _invoke("lc-init-exit")
    # Then Lambda answers Runtime.ExitError naming the exit status
    assert (error, body["errorType"], "exit status 3" in str(body["errorMessage"])) == (
        "Unhandled", "Runtime.ExitError", True)

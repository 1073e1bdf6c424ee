"""terraform's debug log for a deploy into the emulator, and what it says about requests the AWS SDK retried.

An apply that fails with a duplicate (`WafV2DuplicateItem` on a create that terraform issued once)
means the SDK sent the request again after the first attempt's answer was lost: a retryable error
(connection reset, timeout, 5xx). The apply output does not show retries; the provider's DEBUG log
does ("request failed with retryable error ...", `amz-sdk-request: attempt=2`). Deployments with a
log directory keep that log per stack and command, and a failure quotes the retried requests.
"""

from __future__ import annotations

import re
from pathlib import Path

_RETRYABLE = re.compile(r"request failed with retryable error (?P<error>.*?)(?: @\w+=| \w+(?:\.\w+)*=|$)")
_ATTEMPT = re.compile(r'amz_sdk_request="attempt=(?P<attempt>\d+); max=\d+"')
_METHOD = re.compile(r"rpc\.method=(?P<method>\w+)")
_STAMP = re.compile(r"^(?P<stamp>\S+Z)")
MAX_QUOTED = 20


def debug_env(path: Path) -> dict[str, str]:
    """Environment for one terraform command that writes its DEBUG log to `path` (replaced, not appended)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    return {"TF_LOG": "DEBUG", "TF_LOG_PATH": str(path)}


def retried_requests(path: Path) -> list[str]:
    """One line per request the SDK retried or failed retryably (time, operation, error), oldest first."""
    if not path.is_file():
        return []
    found: list[str] = []
    with path.open(encoding="utf-8", errors="replace") as log:
        for line in log:
            what = _what(line)
            if what is None:
                continue
            stamp, method = _STAMP.match(line), _METHOD.search(line)
            found.append(f"{stamp['stamp'] if stamp else '?'} {method['method'] if method else '?'}: {what}")
    return found


def _what(line: str) -> str | None:
    if "unretryable" not in line and (retryable := _RETRYABLE.search(line)):
        return f"retryable error {retryable['error'][:300]}"
    attempt = _ATTEMPT.search(line)
    if attempt and int(attempt["attempt"]) > 1 and "HTTP Request Sent" in line:
        return f"sent again (attempt {attempt['attempt']})"
    return None


def quote(path: Path) -> str:
    """The retried requests of `path`, for an error message ('' when there were none)."""
    lines = retried_requests(path)
    if not lines:
        return ""
    shown = lines[-MAX_QUOTED:]
    return (f"\nrequests the AWS SDK retried ({len(lines)}; full DEBUG log: {path}):\n  "
            + "\n  ".join(shown))

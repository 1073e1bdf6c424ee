"""What a Lambda worker process runs in: extracted code and layers, sys.path roots, environment.

As the python3.11 runtime provides them (AWS Lambda Developer Guide: "Working with Lambda
environment variables", section "Defined runtime environment variables"; "Working with layers for
Python Lambda functions"): the task root is the function zip, each layer's `python/` is on
sys.path, the runtime's own boto3/botocore come last, and the environment is the function's
variables plus the reserved Lambda ones. Nothing else of this machine is passed on.
Used by `localcloud.lambda_workers`.
"""

from __future__ import annotations

import hashlib
import io
import shutil
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# What the python3.11 runtime itself provides (its /var/runtime): the AWS SDK.
RUNTIME_PACKAGES = ("boto3", "botocore", "s3transfer", "jmespath", "dateutil", "urllib3", "six.py")


class CodeUnavailable(RuntimeError):
    """A function's code or layer cannot be read (Lambda answers such an invocation as a function error)."""


@dataclass(frozen=True, kw_only=True)
class LambdaSandbox:
    """Extracts code and layers once per content digest under `cache_dir`; builds worker environments."""

    cache_dir: Path
    endpoint_url: str

    def extract(self, kind: str, code: bytes) -> Path:
        """The directory holding the zip `code` (extracted once per content)."""
        digest = hashlib.sha256(code).hexdigest()[:24]
        target = self.cache_dir / kind / digest
        if target.is_dir():
            return target
        tmp = target.with_name(f"{digest}.tmp-{uuid.uuid4().hex[:8]}")
        tmp.mkdir(parents=True)
        try:
            with zipfile.ZipFile(io.BytesIO(code)) as archive:
                archive.extractall(tmp)
        except zipfile.BadZipFile as exc:
            shutil.rmtree(tmp, ignore_errors=True)
            raise CodeUnavailable(f"{kind} zip ({len(code)} bytes) is not a zip file: {exc}") from exc
        try:
            tmp.rename(target)
        except OSError:  # a concurrent extraction won
            shutil.rmtree(tmp, ignore_errors=True)
        return target

    def runtime_dir(self) -> Path:
        """A directory with the runtime's SDK packages (symlinks into this interpreter's site-packages)."""
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

    def code(self, fn: Any) -> Path:
        """The task root of `fn` (a moto LambdaFunction)."""
        if not fn.code_bytes:
            raise CodeUnavailable(f"function {fn.function_name} has no code")
        return self.extract("code", fn.code_bytes)

    def layers(self, fn: Any) -> list[Path]:
        """The extracted layers of `fn`, in the function's order."""
        from moto.awslambda.utils import get_backend

        backend = get_backend(fn.account_id, fn.region)
        paths = []
        for layer in fn.layers:
            version = backend.layers_versions_by_arn(layer["Arn"])
            if version is None or not version.code_bytes:
                raise CodeUnavailable(f"layer {layer['Arn']} has no content (its S3 object was missing at publish time?)")
            paths.append(self.extract("layers", version.code_bytes))
        return paths

    def environment(self, fn: Any, task_root: Path) -> dict[str, str]:
        """The worker's whole environment: Lambda's reserved variables, then the function's own."""
        name = fn.function_name
        env = {
            "PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "en_US.UTF-8", "TZ": ":UTC",
            "LAMBDA_TASK_ROOT": str(task_root), "LAMBDA_RUNTIME_DIR": str(self.runtime_dir()),
            "_HANDLER": fn.handler or "", "AWS_EXECUTION_ENV": f"AWS_Lambda_{fn.run_time}",
            "AWS_LAMBDA_FUNCTION_NAME": name, "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(fn.memory_size),
            "AWS_LAMBDA_FUNCTION_VERSION": str(fn.version) if str(fn.version) != "1" else "$LATEST",
            "AWS_LAMBDA_LOG_GROUP_NAME": f"/aws/lambda/{name}",
            "AWS_LAMBDA_LOG_STREAM_NAME": f"local/[$LATEST]{uuid.uuid4().hex}",
            "AWS_LAMBDA_INITIALIZATION_TYPE": "on-demand",
            "AWS_XRAY_CONTEXT_MISSING": "LOG_ERROR", "AWS_XRAY_DAEMON_ADDRESS": "127.0.0.1:2000",
            "AWS_REGION": fn.region, "AWS_DEFAULT_REGION": fn.region,
            "AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test", "AWS_SESSION_TOKEN": "test",
            "AWS_ENDPOINT_URL": self.endpoint_url, "AWS_ACCOUNT_ID_ENDPOINT_MODE": "disabled",
        }
        env.update({k: str(v) for k, v in (fn.environment_vars or {}).items()})
        return env

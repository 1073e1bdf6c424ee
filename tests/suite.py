"""`make test`: the whole suite as three pytest processes side by side, one exit status.

The end-to-end sessions spend most of their time waiting on the AWS provider's fixed polls, not on
the CPU: `tests/e2e/` (the pipeline: one terraform deploy of `local`'s four stacks into its own
emulator, the tests, the destroy) and `tests/e2e_daily/` (the users' daily loop: prod and pr-1
side by side in a second emulator). Everything else runs meanwhile in a third process, with its own
moto (moto keeps its state in module globals, one emulator per process) and its own emulator work
directory. Each session is exactly what `pytest <its folder>` runs on its own.

Before they start, the shared inputs that neither may build concurrently are made once: the
terraform plugin cache (terraform does not guarantee a concurrent-safe cache) and the Lambda layer.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "build"
END_TO_END = ("tests/e2e", "tests/e2e_daily")
WARM_CONFIG = '{"terraform": {"required_providers": {"aws": {"source": "hashicorp/aws", "version": "5.100.0"}}}}\n'


def warm_shared_inputs() -> None:
    """Fill the terraform plugin cache and build the Lambda layer, once, before the sessions start."""
    sys.path.insert(0, str(ROOT))
    from stacks.constructs.layer_build import build_layer
    from tests.tf import MIRROR, terraform, terraform_env

    build_layer(lock_file=ROOT / "Pipfile.lock", build_dir=BUILD)
    if shutil.which("terraform") is None or not MIRROR.is_dir():
        return  # the terraform and e2e tests skip, naming what is missing
    work = BUILD / "tf-warm"
    work.mkdir(parents=True, exist_ok=True)
    (work / "main.tf.json").write_text(WARM_CONFIG)
    terraform(["init", "-input=false", "-backend=false"], cwd=work, env=terraform_env(work))


def _session(args: list[str], log: Path | None, env: dict[str, str]) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "pytest", *args]
    out = log.open("wb") if log is not None else None
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT if out else None)


def main(extra: list[str]) -> int:
    started = time.time()
    warm_shared_inputs()
    background = {folder: _background(folder, extra) for folder in END_TO_END}
    try:
        rest = _session([*(f"--ignore={folder}" for folder in END_TO_END), *extra], None, dict(os.environ)).wait()
        print("\nsuite: waiting for the end-to-end sessions ...", flush=True)
        statuses = {folder: process.wait() for folder, process in background.items()}
    finally:
        for process in background.values():
            if process.poll() is None:  # interrupted: stop the background sessions too
                process.terminate()
                process.wait(timeout=600)
    for folder in END_TO_END:
        print(f"\n{'=' * 30} end-to-end session ({folder}) {'=' * 30}", flush=True)
        sys.stdout.write(_log(folder).read_text(errors="replace"))
    summary = ", ".join(f"{folder} exit {status}" for folder, status in statuses.items())
    print(f"\nsuite: {summary}, everything else exit {rest}, {time.time() - started:.0f}s in all")
    return 0 if rest == 0 and not any(statuses.values()) else 1


def _log(folder: str) -> Path:
    return BUILD / f"test-{Path(folder).name.replace('_', '-')}.log"


def _background(folder: str, extra: list[str]) -> subprocess.Popen[bytes]:
    """One end-to-end session in the background, with its own emulator work directory."""
    work = BUILD / "localcloud" / f"{Path(folder).name.replace('_', '-')}-emulator"
    process = _session([folder, *extra], _log(folder), {**os.environ, "LOCALCLOUD_WORK_DIR": str(work)})
    print(f"suite: {folder} started in the background (output: {_log(folder).relative_to(ROOT)})", flush=True)
    return process


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

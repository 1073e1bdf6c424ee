"""`make test`: the whole suite as two pytest processes side by side, one exit status.

The end-to-end session (`tests/e2e/`: one terraform deploy of the four stacks into its own emulator,
the tests, the destroy) spends most of its ten minutes waiting on the AWS provider's fixed polls,
not on the CPU. Everything else runs meanwhile in a second process, with its own moto (moto keeps
its state in module globals, one emulator per process) and its own emulator work directory. Both
sessions are exactly what `pytest tests/e2e` and `pytest --ignore=tests/e2e` run on their own.

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
    e2e_log = BUILD / "test-e2e.log"
    e2e_env = {**os.environ, "LOCALCLOUD_WORK_DIR": str(BUILD / "localcloud" / "e2e-emulator")}
    e2e = _session(["tests/e2e", *extra], e2e_log, e2e_env)
    print(f"suite: end-to-end session started in the background (output: {e2e_log.relative_to(ROOT)})", flush=True)
    try:
        rest = _session(["--ignore=tests/e2e", *extra], None, dict(os.environ)).wait()
        print("\nsuite: waiting for the end-to-end session ...", flush=True)
        e2e_status = e2e.wait()
    finally:
        if e2e.poll() is None:  # interrupted: stop the background session too
            e2e.terminate()
            e2e.wait(timeout=600)
    print(f"\n{'=' * 30} end-to-end session (tests/e2e) {'=' * 30}", flush=True)
    sys.stdout.write(e2e_log.read_text(errors="replace"))
    print(f"\nsuite: tests/e2e exit {e2e_status}, everything else exit {rest}, {time.time() - started:.0f}s in all")
    return 0 if rest == 0 and e2e_status == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

"""Deploy, destroy and plan the synthesized stacks of one workspace with the real terraform binary.

The stacks are the ones `main.py` synthesizes (the same cdk.tf.json a real deploy uses); for
`local` only the endpoint baked into the provider block (AWS_ENDPOINT_URL at synth) and the
credentials differ. Stacks are applied in dependency order read from `cdktf.out/manifest.json`
and destroyed in reverse. Providers come from the machine's plugin mirror through a CLI config
(`tools/terraform/terraform.rc.in`) with one shared plugin cache.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from localcloud import terraform_log

ROOT = Path(__file__).resolve().parent.parent
# The machine's plugin mirror (the Makefile exports the same default to what it runs).
MIRROR = Path(os.environ.get("TF_PLUGIN_MIRROR", "/opt/tf-plugins"))
CLI_CONFIG_TEMPLATE = ROOT / "tools" / "terraform" / "terraform.rc.in"


def write_cli_config(rc: Path) -> Path:
    """Write the terraform CLI config that installs providers from `MIRROR` only; return its path.

    Concurrent terraform commands read the same file: it is replaced atomically and only when it
    differs. A plain rewrite let a command read it truncated, i.e. no config, and go to the registry.
    """
    text = CLI_CONFIG_TEMPLATE.read_text().replace("@MIRROR@", str(MIRROR))
    if rc.is_file() and rc.read_text() == text:
        return rc
    partial = rc.with_name(f".{rc.name}.{os.getpid()}.{threading.get_ident()}")
    partial.write_text(text)
    os.replace(partial, rc)
    return rc


class DeployError(RuntimeError):
    """terraform or synth failed; the message carries the tail of its output."""


@dataclass
class StackResult:
    stack: str
    action: str
    seconds: float
    resources: int = 0


@dataclass
class Deployment:
    """The synthesized app of one workspace in `outdir` and how to run terraform on it."""

    workspace: str = "local"
    outdir: Path = ROOT / "cdktf.out"
    source: Path = ROOT  # the checkout whose main.py is synthesized
    extra_env: Mapping[str, str] = field(default_factory=dict)
    log: Callable[[str], None] = lambda line: print(line, file=sys.stderr, flush=True)
    results: list[StackResult] = field(default_factory=list)
    log_dir: Path | None = None  # full terraform output (and DEBUG log) per stack and command, when set

    # -- environment -----------------------------------------------------------------------
    def _terraform_env(self) -> dict[str, str]:
        build = ROOT / "build"
        build.mkdir(exist_ok=True)
        rc = build / "localcloud-terraform.rc"
        if not MIRROR.is_dir():
            raise DeployError(f"terraform plugin mirror {MIRROR} missing (set TF_PLUGIN_MIRROR)")
        if shutil.which("terraform") is None:
            raise DeployError("terraform is not on PATH")
        write_cli_config(rc)
        cache = build / "tf-plugin-cache"
        cache.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, "TF_CLI_CONFIG_FILE": str(rc), "TF_PLUGIN_CACHE_DIR": str(cache),
               "TF_IN_AUTOMATION": "1", "CHECKPOINT_DISABLE": "1", **self.extra_env}
        if self.on_emulator:
            env.update(AWS_ACCESS_KEY_ID="test", AWS_SECRET_ACCESS_KEY="test", AWS_SESSION_TOKEN="test")  # noqa: S106
            env.pop("AWS_PROFILE", None)
        return env

    @property
    def on_emulator(self) -> bool:
        """True when the workspace is synthesized for the local emulator (`local`, or TARGET=local)."""
        target = self.extra_env.get("TARGET") or os.environ.get("TARGET") or ("local" if self.workspace == "local" else "aws")
        return target == "local"

    # -- synth -----------------------------------------------------------------------------
    def synth(self) -> None:
        """Run `main.py` for the workspace into `outdir` (endpoint from `extra_env`/the environment)."""
        env = {**os.environ, **self.extra_env, "WORKSPACE": self.workspace, "CDKTF_OUTDIR": str(self.outdir)}
        node = self.source / "node_modules" / ".bin" / "node"
        if node.exists():
            env.setdefault("JSII_NODE", str(node))
        started = time.time()
        shutil.rmtree(self.outdir, ignore_errors=True)
        self.outdir.parent.mkdir(parents=True, exist_ok=True)
        result = subprocess.run([sys.executable, "main.py"], cwd=self.source, env=env, capture_output=True, text=True,
                                check=False)
        if result.returncode != 0:
            raise DeployError(f"synth failed:\n{result.stdout[-2000:]}\n{result.stderr[-4000:]}")
        self.log(f"synth {self.workspace}: {time.time() - started:.1f}s -> {self.outdir}")

    def stacks(self) -> list[str]:
        """Stack names in dependency order (a stack after everything it depends on)."""
        manifest = json.loads((self.outdir / "manifest.json").read_text())["stacks"]
        ordered: list[str] = []

        def visit(name: str, trail: tuple[str, ...] = ()) -> None:
            if name in ordered:
                return
            if name in trail:
                raise DeployError(f"stack dependency cycle: {' -> '.join((*trail, name))}")
            for dep in sorted(manifest[name].get("dependencies", [])):
                visit(dep, (*trail, name))
            ordered.append(name)

        # Ties (no declared dependency) follow the documented order: storage, processing, api, observability.
        canonical = ("storage", "processing", "api", "observability")
        rank = {name: next((i for i, c in enumerate(canonical) if name.startswith(f"{c}-")), len(canonical)) for name in manifest}
        for name in sorted(manifest, key=lambda n: (rank[n], n)):
            visit(name)
        return ordered

    def stack_dir(self, stack: str) -> Path:
        return self.outdir / "stacks" / stack

    # -- terraform -------------------------------------------------------------------------
    def terraform(self, stack: str, *args: str, timeout: int = 900) -> str:
        command = ["terraform", *args]
        env, debug_log = self._terraform_env(), None
        if self.log_dir is not None and self.on_emulator:  # never against AWS: the log holds response bodies (API keys)
            debug_log = self.log_dir / f"{stack}.{args[0]}.debug.log"
            env.update(terraform_log.debug_env(debug_log))
        result = subprocess.run(command, cwd=self.stack_dir(stack), env=env, capture_output=True,
                                text=True, timeout=timeout, check=False)
        if self.log_dir is not None:
            self.log_dir.mkdir(parents=True, exist_ok=True)
            (self.log_dir / f"{stack}.{args[0]}.log").write_text(result.stdout + result.stderr)
        if result.returncode != 0:
            retried = terraform_log.quote(debug_log) if debug_log is not None else ""
            raise DeployError(f"terraform {' '.join(args)} in {stack} failed:\n{result.stdout[-4000:]}\n"
                              f"{result.stderr[-4000:]}{retried}")
        return result.stdout

    def init(self, stack: str) -> None:
        # Always init: cheap with the shared plugin cache, and needed when the backend moved.
        self.terraform(stack, "init", "-input=false", "-no-color", "-reconfigure")

    def state_resources(self, stack: str) -> list[str]:
        """Addresses in the stack's state (empty when it has no state); inits the stack first if it never was."""
        if not (self.stack_dir(stack) / ".terraform").is_dir():
            self.init(stack)  # a fresh synth (another checkout's, say) reads the same state once its backend is set up
        env = self._terraform_env()
        result = subprocess.run(["terraform", "state", "list", "-no-color"], cwd=self.stack_dir(stack), env=env,
                                capture_output=True, text=True, check=False)
        return [line for line in result.stdout.splitlines() if line.strip()] if result.returncode == 0 else []

    def apply(self, stacks: list[str] | None = None) -> list[StackResult]:
        """init + apply each stack in dependency order."""
        for stack in stacks or self.stacks():
            started = time.time()
            self.init(stack)
            self.terraform(stack, "apply", "-auto-approve", "-input=false", "-no-color", "-parallelism=20")
            self._remember_applied(stack)
            seconds = time.time() - started
            count = len([r for r in self.state_resources(stack) if not r.startswith("data.")])
            self.results.append(StackResult(stack, "apply", seconds, count))
            self.log(f"apply {stack}: {seconds:.1f}s, {count} resources")
        return self.results

    def _applied_path(self, stack: str) -> Path:
        return self.state_dir() / "applied" / f"{stack}.cdk.tf.json"

    def _remember_applied(self, stack: str) -> None:
        """Keep the synthesized JSON just applied: a later plan names the constructs it removed from it."""
        self._applied_path(stack).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(self.stack_dir(stack) / "cdk.tf.json", self._applied_path(stack))

    def applied_json(self, stack: str) -> dict[str, Any] | None:
        """The synthesized JSON of the stack's last apply through this class, if any."""
        path = self._applied_path(stack)
        return dict(json.loads(path.read_text())) if path.is_file() else None

    def destroy(self, stacks: list[str] | None = None) -> list[StackResult]:
        """init + destroy each stack in reverse dependency order."""
        for stack in reversed(stacks or self.stacks()):
            started = time.time()
            self.init(stack)
            self.terraform(stack, "destroy", "-auto-approve", "-input=false", "-no-color", "-parallelism=20")
            seconds = time.time() - started
            self.results.append(StackResult(stack, "destroy", seconds))
            self.log(f"destroy {stack}: {seconds:.1f}s")
        return self.results

    def plan_exit_code(self, stack: str) -> tuple[int, str]:
        """`terraform plan -detailed-exitcode` of a deployed stack: (0 no changes | 2 changes, plan text)."""
        result = subprocess.run(["terraform", "plan", "-detailed-exitcode", "-lock=false", "-input=false", "-no-color"],
                                cwd=self.stack_dir(stack), env=self._terraform_env(), capture_output=True, text=True,
                                timeout=900, check=False)
        if result.returncode not in (0, 2):
            raise DeployError(f"terraform plan in {stack} failed:\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}")
        return result.returncode, result.stdout

    def state_dir(self) -> Path:
        """Where the local backend keeps this outdir's state (`<outdir>/../.state/<workspace>`)."""
        return self.outdir.resolve().parent / ".state" / self.workspace

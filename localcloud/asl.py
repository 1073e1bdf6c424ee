"""Amazon States Language definitions checked by the real `asl-validator` (npm, built from the ASL spec).

One helper for the tests (every synthesized definition) and the emulator (what Step Functions
refuses, it refuses too). Diagnostics have the shape of AWS's
`ValidateStateMachineDefinitionDiagnostic` (Step Functions API Reference: severity, code, message,
location); the two asl-validator codes AWS documents under another name are renamed to AWS's
(`MISSING_END_STATE`, `DUPLICATE_STATE_NAME`), the others are kept (AWS says not to rely on codes).

Results are cached per SHA-256 of the definition: one node process (~0.3 s) per distinct definition.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import threading
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE_MODULES = ROOT / "node_modules"
_AWS_CODES = {"MISSING_TERMINAL_STATE": "MISSING_END_STATE", "DUPLICATE_STATE_NAMES": "DUPLICATE_STATE_NAME"}
# Runs asl-validator's library (same checks and options as its CLI) and prints its errors as JSON.
_SCRIPT = """
const validator = require(process.argv[1]);
let text = "";
process.stdin.on("data", (chunk) => { text += chunk; });
process.stdin.on("end", () => {
  const result = validator(JSON.parse(text), { checkArn: true, checkPaths: true });
  process.stdout.write(JSON.stringify(result.errors));
});
"""


@dataclass(frozen=True, kw_only=True)
class Diagnostic:
    """One problem in a definition, as Step Functions' ValidateStateMachineDefinition reports it."""

    severity: str
    code: str
    message: str
    location: str | None = None

    def to_aws(self) -> dict[str, str]:
        """The diagnostic as it appears in the API response (no `location` when unknown)."""
        shape = {"severity": self.severity, "code": self.code, "message": self.message}
        return shape if self.location is None else {**shape, "location": self.location}

    def __str__(self) -> str:
        return f"{self.code}: {self.message}" + ("" if self.location is None else f" at {self.location}")


class AslValidatorMissing(RuntimeError):
    """node or asl-validator is not installed in node_modules."""


@dataclass
class AslValidator:
    """Validates definitions with `<node_modules>/asl-validator`; remembers each definition's result."""

    node_modules: Path = NODE_MODULES
    runs: int = 0
    _cache: dict[str, tuple[Diagnostic, ...]] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def validate(self, definition: str) -> list[Diagnostic]:
        """Every ERROR asl-validator finds in `definition` (JSON text); [] when it is valid."""
        digest = hashlib.sha256(definition.encode()).hexdigest()
        with self._lock:
            cached = self._cache.get(digest)
        if cached is None:
            cached = tuple(self._run(definition))
            with self._lock:
                self._cache[digest] = cached
        return list(cached)

    def _run(self, definition: str) -> list[Diagnostic]:
        if not definition.strip():
            return [Diagnostic(severity="ERROR", code="MISSING_DESCRIPTION", message="the definition is empty")]
        try:
            document = json.loads(definition)
        except json.JSONDecodeError as exc:
            return [Diagnostic(severity="ERROR", code="INVALID_JSON_DESCRIPTION", message=str(exc))]
        if not isinstance(document, dict):
            return [Diagnostic(severity="ERROR", code="SCHEMA_VALIDATION_FAILED",
                               message=f"the definition is a JSON {type(document).__name__}, not an object")]
        node, package = self.tools()
        self.runs += 1
        result = subprocess.run([node, "-e", _SCRIPT, str(package)], input=definition, capture_output=True,
                                text=True, timeout=60, check=False)
        if result.returncode != 0:
            raise RuntimeError(f"asl-validator failed (exit {result.returncode}): {result.stderr[-2000:]}")
        return [_diagnostic(error) for error in json.loads(result.stdout)]

    def tools(self) -> tuple[str, Path]:
        """(node, asl-validator package dir); AslValidatorMissing naming what is absent otherwise."""
        binary = self.node_modules / ".bin" / "asl-validator"
        package = self.node_modules / "asl-validator"
        local_node = self.node_modules / ".bin" / "node"
        node = str(local_node) if local_node.exists() else shutil.which("node")
        if not binary.exists() or not package.is_dir() or node is None:
            raise AslValidatorMissing(
                f"asl-validator is not installed ({binary} exists={binary.exists()}, node={node}): run make install")
        return node, package


def _diagnostic(error: dict[str, object]) -> Diagnostic:
    code = str(error.get("Error code", "SCHEMA_VALIDATION_FAILED"))
    schema_error = error.get("schemaError")
    location = schema_error.get("instancePath") if isinstance(schema_error, dict) else None
    return Diagnostic(severity="ERROR", code=_AWS_CODES.get(code, code), message=str(error.get("Message", "")),
                      location=str(location) if location else None)


DEFAULT = AslValidator()


def validate(definition: str) -> list[Diagnostic]:
    """Validate with the project's node_modules (cached per definition); see `AslValidator.validate`."""
    return DEFAULT.validate(definition)

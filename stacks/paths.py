"""Where the project's sources and build products live (independent of the CWD)."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FUNCTIONS_DIR = ROOT / "functions"
BUILD_DIR = ROOT / "build"
# Shared packages zipped into every function (once each).
SHARED_PACKAGES = ("txnpipe",)

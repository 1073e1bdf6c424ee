"""Test setup: put <repo>/functions on sys.path so ``txnpipe`` imports without installation."""

from __future__ import annotations

import sys
from pathlib import Path

_FUNCTIONS = Path(__file__).resolve().parents[3] / "functions"
if str(_FUNCTIONS) not in sys.path:
    sys.path.insert(0, str(_FUNCTIONS))

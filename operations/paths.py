"""Make the pipeline's own modules importable (`txnpipe` from functions/, `stacks`), as the contract tools do."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Final

ROOT: Final = Path(__file__).resolve().parent.parent


def import_path() -> None:
    """Put functions/ and the repository root on sys.path (once)."""
    for path in (str(ROOT / "functions"), str(ROOT)):
        if path not in sys.path:
            sys.path.insert(0, path)

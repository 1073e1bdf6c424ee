"""Where the contract's sources and artifacts live (relative to the repository holding this package)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Final

ROOT: Final = Path(__file__).resolve().parent.parent
FUNCTIONS: Final = ROOT / "functions"
OUT_DIR: Final = ROOT / "docs" / "contract"
#: The artifacts directory as a path inside the repository (for `git show <ref>:<path>`).
OUT_REL: Final = "docs/contract"


def import_path() -> None:
    """Make `txnpipe` (functions/) and `stacks` importable, as in the Lambda runtime and the stacks."""
    for path in (str(FUNCTIONS), str(ROOT)):
        if path not in sys.path:
            sys.path.insert(0, path)

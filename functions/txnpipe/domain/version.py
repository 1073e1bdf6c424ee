"""The version of the transaction data contract (docs/contract.md) this code enforces.

Semantic versioning, judged by partners' files: a change that would reject a file that was valid
yesterday is breaking (major); a rule that only accepts more, or a new optional field, is minor;
wording and documentation are patch. The version is stamped into the generated contract artifacts
and into every processed file's status record.
"""

from __future__ import annotations

from typing import Final

CONTRACT_VERSION: Final = "2.0.0"

"""Machine-readable artifacts of the transaction data contract, generated from the code's own rules.

`python -m contract generate` writes `docs/contract/*`; `check` fails when they differ from what
generating would give; `diff --base <git ref>` lists breaking and non-breaking rule changes.
The one source is `txnpipe.domain` (fields, limits, patterns, currencies), `txnpipe.status`,
`txnpipe.api` (routes, bodies, errors) and the api stack's pure modules (gateway errors, limits).
"""

from contract import paths as _paths

_paths.import_path()

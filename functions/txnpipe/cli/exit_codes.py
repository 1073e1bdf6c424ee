"""Exit codes of ``txnpipe-validate`` (and ``make validate``); 64 and 66 are sysexits.h's."""

from __future__ import annotations

from typing import Final

from txnpipe.domain.results import Status

EXIT_VALID: Final = 0
EXIT_INVALID_ROWS: Final = 1
EXIT_REJECTED: Final = 2
EXIT_USAGE: Final = 64  # EX_USAGE: bad arguments, unknown file extension
EXIT_NO_INPUT: Final = 66  # EX_NOINPUT: a FILE does not exist or is not a regular file

BY_STATUS: Final[dict[Status, int]] = {"VALID": EXIT_VALID, "INVALID_ROWS": EXIT_INVALID_ROWS, "REJECTED": EXIT_REJECTED}

HELP: Final = f"""exit codes (several files: the worst file's code, {EXIT_REJECTED} > {EXIT_INVALID_ROWS} > {EXIT_VALID}):
  {EXIT_VALID}   every row valid (status VALID)
  {EXIT_INVALID_ROWS}   some rows rejected, the others would be stored (status INVALID_ROWS)
  {EXIT_REJECTED}   the file is rejected as a whole, no row would be stored (status REJECTED)
  {EXIT_USAGE}  usage error: bad option, or a FILE not ending in .csv / .json (nothing checked)
  {EXIT_NO_INPUT}  a FILE does not exist or is not a regular file (nothing checked)"""

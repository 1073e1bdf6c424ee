"""Operator tools for a deployed workspace (AWS, or the local emulator): `python -m operations <command>`.

`status`: files by status, the oldest files not yet terminal, and the depth of every dead-letter queue.
"""

from operations import paths as _paths

_paths.import_path()

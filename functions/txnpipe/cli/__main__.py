"""``python -m txnpipe.cli FILE...``: the same tool as the ``txnpipe-validate`` command."""

from __future__ import annotations

import sys

from txnpipe.cli import main

sys.exit(main())

"""Identity of an uploaded file: which partner, which format, which file id (pure)."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Literal

from txnpipe.layout import UPLOADS_PREFIX

_KEY = re.compile(re.escape(UPLOADS_PREFIX) + r"/(?P<partner>[A-Za-z0-9_-]{1,64})/(?P<name>[^/]+)\.(?P<ext>csv|json)")


@dataclass(frozen=True)
class Upload:
    """A raw object that starts the pipeline."""

    partner_id: str
    format: Literal["csv", "json"]
    upload_ref: str  # "<partner_id>/<file name without extension>", what the API hands out


def parse_upload_key(key: str) -> Upload:
    """Read partner and format from `uploads/<partner_id>/<name>.<csv|json>` or say what is wrong."""
    match = _KEY.fullmatch(key)
    if match is None:
        raise ValueError(f"object key {key!r} is not {UPLOADS_PREFIX}/<partner_id>/<name>.csv|.json")
    fmt: Literal["csv", "json"] = "csv" if match["ext"] == "csv" else "json"
    return Upload(match["partner"], fmt, f"{match['partner']}/{match['name']}")


def file_id_for(bucket: str, key: str, version_id: str | None) -> str:
    """Deterministic id of one object *version*: a repeated event maps to the same file."""
    digest = hashlib.sha256(f"{bucket}\n{key}\n{version_id or 'null'}".encode()).hexdigest()
    return f"f-{digest[:32]}"

"""The shapes of the emulator's registry of additions and limitations, and the README text made from it.

`localcloud.patches.PATCHES` and `LIMITATIONS` hold the data; `render_additions()` and
`render_limitations()` turn them into the markdown of the README's "Local cloud" section, written
between `<!-- localcloud:additions -->` ... `<!-- /localcloud:additions -->` (and the same for
`limitations`) by `python -m localcloud.patches --write README.md`. A test compares the README
with the rendering, so a patch registered without regenerating the README fails.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, kw_only=True)
class Patch:
    """One addition to moto: what it adds (README "addition" column), its module, and why (README "why")."""

    adds: str
    module: str
    why: str

    def __post_init__(self) -> None:
        if not self.module.startswith("localcloud.patches."):
            raise ValueError(f"patch module must live in localcloud.patches, got {self.module!r}")
        for name in ("adds", "why"):
            if not getattr(self, name).strip():
                raise ValueError(f"patch {self.module}: {name!r} is empty (the README row needs it)")


@dataclass(frozen=True, kw_only=True)
class Limitation:
    """Something the emulator cannot show, and what to verify in a real account instead."""

    cannot_show: str
    verify: str

    def __post_init__(self) -> None:
        if not self.cannot_show.strip() or not self.verify.strip():
            raise ValueError(f"limitation needs both what it cannot show and what to verify: {self!r}")


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_additions(patches: Iterable[Patch], configuration: Iterable[tuple[str, str]] = ()) -> str:
    """The additions table: one row per patch (in registry order), then moto configuration rows."""
    rows = [(p.adds, p.why) for p in patches] + list(configuration)
    lines = ["| addition | why |", "|---|---|"] + [f"| {_cell(adds)} | {_cell(why)} |" for adds, why in rows]
    return "\n".join(lines)


def render_limitations(limitations: Iterable[Limitation]) -> str:
    """One bullet per limitation: what the emulator cannot show, then what to verify in a real account."""
    return "\n".join(f"* {item.cannot_show} Verify in a real account: {item.verify}" for item in limitations)


def _markers(name: str) -> tuple[str, str]:
    return f"<!-- localcloud:{name} -->", f"<!-- /localcloud:{name} -->"


def marked(text: str, name: str) -> str:
    """The text between the `name` markers of `text` (without the blank lines next to them)."""
    start, end = _markers(name)
    match = re.search(re.escape(start) + r"\n(.*?)\n?" + re.escape(end), text, re.DOTALL)
    if match is None:
        raise ValueError(f"README has no {start} ... {end} section")
    return match.group(1).strip("\n")


def replace_marked(text: str, name: str, body: str) -> str:
    """`text` with the section between the `name` markers replaced by `body`."""
    marked(text, name)  # refuses a text without the markers
    start, end = _markers(name)
    pattern = re.escape(start) + r".*?" + re.escape(end)
    return re.sub(pattern, lambda _: f"{start}\n{body}\n{end}", text, count=1, flags=re.DOTALL)

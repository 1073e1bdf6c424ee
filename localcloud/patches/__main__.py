"""`python -m localcloud.patches --markdown` prints the README sections generated from the registry;
`--write README.md` rewrites them in place (between the `localcloud:additions` / `localcloud:limitations` markers).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from localcloud.patch_registry import render_additions, render_limitations, replace_marked
from localcloud.patches import CONFIGURATION, LIMITATIONS, PATCHES


def sections() -> dict[str, str]:
    """The generated markdown, by marker name."""
    return {"additions": render_additions(PATCHES, CONFIGURATION), "limitations": render_limitations(LIMITATIONS)}


def write(readme: Path) -> bool:
    """Rewrite the marked sections of `readme`; True when its text changed."""
    text = readme.read_text(encoding="utf-8")
    updated = text
    for name, body in sections().items():
        updated = replace_marked(updated, name, body)
    if updated != text:
        readme.write_text(updated, encoding="utf-8")
    return updated != text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m localcloud.patches", description=__doc__)
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--markdown", action="store_true", help="print the generated sections")
    group.add_argument("--write", type=Path, metavar="README", help="rewrite the marked sections of this file")
    args = parser.parse_args(argv)
    if args.markdown:
        for name, body in sections().items():
            print(f"<!-- localcloud:{name} -->\n{body}\n<!-- /localcloud:{name} -->\n")
        return 0
    try:
        changed = write(args.write)
    except (OSError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"{args.write}: {'updated' if changed else 'already up to date'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

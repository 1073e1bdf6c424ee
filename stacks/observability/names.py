"""Turn the names other stacks register into plain strings, so alarms need no cross-stack outputs.

The registries (`Monitored`) hold whatever a stack had at hand: a plain name (e.g.
`PythonFunction.physical_name`) or an unresolved token (`PipelineTable.name`). A token of
another stack would make CDKTF export it as an output and read it back through remote
state: correct, but it adds outputs to the producing stack for names that are known at
synth time anyway. So a token is traced back to the construct that holds it (same string
object, assigned once) and that construct's resource input is used; anything that cannot be
traced stays a token (still correct, just a cross-stack reference).
"""

from __future__ import annotations

from collections.abc import Iterable

from cdktf import TerraformResource, Token
from constructs import Construct


def plain(value: str, scopes: Iterable[Construct], attribute: str = "name") -> str:
    """`value` itself if it is plain; else the literal `<attribute>` input of the resource it came from."""
    if not Token.is_unresolved(value):
        return value
    for scope in scopes:
        for construct in scope.node.find_all():
            try:
                held = getattr(construct, attribute, None)
            except Exception:  # noqa: S112  (a jsii attribute that cannot be read on this construct)
                continue
            if held != value:
                continue
            for candidate in (construct, *construct.node.children):
                if isinstance(candidate, TerraformResource):
                    literal = getattr(candidate, f"{attribute}_input", None)
                    if isinstance(literal, str) and not Token.is_unresolved(literal):
                        return literal
    return value

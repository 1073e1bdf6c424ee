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
from constructs import Construct, IConstruct


class PlainNames:
    """Plain `<attribute>` values for the tokens held by the constructs under `scopes`.

    The constructs are walked once, at the first token asked for (each read of a construct's
    attribute is a call into the jsii process, so one walk per name made the synth slower).
    Call it after the scopes are built.
    """

    def __init__(self, scopes: Iterable[Construct], attribute: str = "name") -> None:
        self._scopes = list(scopes)
        self._attribute = attribute
        self._holders: dict[str, list[IConstruct]] | None = None

    def __call__(self, value: str) -> str:
        """`value` itself if it is plain; else the literal `<attribute>` input of the resource it came from."""
        if not Token.is_unresolved(value):
            return value
        if self._holders is None:
            self._holders = self._walk()
        for construct in self._holders.get(value, []):
            for candidate in (construct, *construct.node.children):
                if isinstance(candidate, TerraformResource):
                    literal = getattr(candidate, f"{self._attribute}_input", None)
                    if isinstance(literal, str) and not Token.is_unresolved(literal):
                        return literal
        return value

    def _walk(self) -> dict[str, list[IConstruct]]:
        """Every construct under the scopes by the token it holds as `<attribute>` (same string, assigned once)."""
        holders: dict[str, list[IConstruct]] = {}
        for scope in self._scopes:
            for construct in scope.node.find_all():
                try:
                    held = getattr(construct, self._attribute, None)
                except Exception:  # noqa: S112  (a jsii attribute that cannot be read on this construct)
                    continue
                if isinstance(held, str) and Token.is_unresolved(held):
                    holders.setdefault(held, []).append(construct)
        return holders

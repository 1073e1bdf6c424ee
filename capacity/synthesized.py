"""Read the settings the capacity arithmetic needs out of the synthesized stacks (`cdk.tf.json`).

Every figure here comes from the JSON terraform would apply, so a changed memory size, timeout,
Map concurrency or retention changes the load plan and the cost without anything typed twice.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from stacks.config import PROJECT

CONCERNS = ("storage", "processing", "api", "observability")
Json = dict[str, Any]


@dataclass(frozen=True, kw_only=True)
class LambdaSettings:
    """One function as synthesized."""

    name: str  # the slug: `validate-file` for txnpipe-validate-file-<ws>
    memory_mb: int
    timeout_s: int
    ephemeral_mb: int
    reserved: int | None
    architecture: str
    environment: Mapping[str, str]


@dataclass(frozen=True, kw_only=True)
class TableSettings:
    """One DynamoDB table as synthesized (`purpose`: `transactions` for txnpipe-transactions-<ws>)."""

    purpose: str
    billing_mode: str
    indexes: tuple[str, ...]
    stream: bool
    warm_throughput: Mapping[str, int] | None


@dataclass(frozen=True, kw_only=True)
class Synthesized:
    """The four stacks of one workspace: `stacks[concern]` is that stack's parsed cdk.tf.json."""

    workspace: str
    stacks: Mapping[str, Json]

    @classmethod
    def from_dir(cls, outdir: Path, workspace: str) -> Synthesized:
        """Load `outdir/stacks/<concern>-<workspace>/cdk.tf.json`; a missing stack is named."""
        stacks: dict[str, Json] = {}
        for concern in CONCERNS:
            path = outdir / "stacks" / f"{concern}-{workspace}" / "cdk.tf.json"
            if not path.is_file():
                raise FileNotFoundError(f"no synthesized {concern} stack for workspace {workspace!r} at {path}; "
                                        f"run `WORKSPACE={workspace} make synth` (or main.py with CDKTF_OUTDIR) first")
            stacks[concern] = json.loads(path.read_text())
        return cls(workspace=workspace, stacks=stacks)

    def region(self) -> str:
        """The AWS provider's region (the same in every stack)."""
        regions = {p.get("region") for c in CONCERNS for p in self.stacks.get(c, {}).get("provider", {}).get("aws", [])}
        if len(regions) != 1 or None in regions:
            raise ValueError(f"expected one provider region in {self.workspace}, found {sorted(map(str, regions))}")
        return str(regions.pop())

    def resources(self, type_: str) -> list[Json]:
        """Every resource of `type_` across the stacks, in stack then name order."""
        found: list[Json] = []
        for concern in CONCERNS:
            items = self.stacks.get(concern, {}).get("resource", {}).get(type_, {})
            found.extend(items[name] for name in sorted(items))
        return found

    def purpose(self, physical_name: str) -> str:
        """`validate-file` for `txnpipe-validate-file-prod`."""
        prefix, suffix = f"{PROJECT}-", f"-{self.workspace}"
        if not (physical_name.startswith(prefix) and physical_name.endswith(suffix)):
            raise ValueError(f"{physical_name!r} is not a {PROJECT} name of workspace {self.workspace!r}")
        return physical_name[len(prefix):-len(suffix)]

    def functions(self) -> dict[str, LambdaSettings]:
        """Every Lambda function by slug."""
        return {s.name: s for s in map(self._function, self.resources("aws_lambda_function"))}

    def function(self, slug: str) -> LambdaSettings:
        """One function by slug; an unknown slug is named with the known ones."""
        functions = self.functions()
        if slug not in functions:
            raise KeyError(f"no function {slug!r} in the synthesized {self.workspace} stacks; have {sorted(functions)}")
        return functions[slug]

    def function_ids(self) -> dict[str, str]:
        """Terraform resource id (`validate-file_function_269F6695`) -> slug, for ASL Task references."""
        ids: dict[str, str] = {}
        for concern in CONCERNS:
            items = self.stacks.get(concern, {}).get("resource", {}).get("aws_lambda_function", {})
            ids.update({rid: self.purpose(body["function_name"]) for rid, body in items.items()})
        return ids

    def _function(self, body: Json) -> LambdaSettings:
        return LambdaSettings(
            name=self.purpose(body["function_name"]), memory_mb=int(body.get("memory_size", 128)),
            timeout_s=int(body.get("timeout", 3)), ephemeral_mb=int(body.get("ephemeral_storage", {}).get("size", 512)),
            reserved=body.get("reserved_concurrent_executions"),
            architecture=(body.get("architectures") or ["x86_64"])[0],
            environment=body.get("environment", {}).get("variables", {}),
        )

    def table(self, purpose: str) -> TableSettings:
        """One DynamoDB table by purpose."""
        for body in self.resources("aws_dynamodb_table"):
            if self.purpose(body["name"]) == purpose:
                return TableSettings(
                    purpose=purpose, billing_mode=body.get("billing_mode", "PROVISIONED"),
                    indexes=tuple(i["name"] for i in body.get("global_secondary_index", [])),
                    stream=bool(body.get("stream_enabled")), warm_throughput=body.get("warm_throughput"),
                )
        raise KeyError(f"no table {purpose!r} in the synthesized {self.workspace} stacks")

    def state_machine(self) -> Json:
        """The one state machine: its resource body with `definition` parsed (an ASL document)."""
        machines = self.resources("aws_sfn_state_machine")
        if len(machines) != 1:
            raise ValueError(f"expected one state machine in {self.workspace}, found {len(machines)}")
        return {**machines[0], "definition": json.loads(machines[0]["definition"])}

    def log_retention_days(self) -> dict[str, int]:
        """Log group name -> retention in days (0: never expires)."""
        return {g["name"]: int(g.get("retention_in_days", 0)) for g in self.resources("aws_cloudwatch_log_group")}

    def count(self, type_: str) -> int:
        """How many resources of `type_` the stacks declare."""
        return len(self.resources(type_))

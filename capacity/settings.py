"""Typed views of the synthesized stacks for the load plan and the cost model (no figure typed twice).

Function sizes, the Map concurrencies, the large-file threshold and chunk size, the retry policy and
the writers per load all come from the synthesized JSON; the writers default is the handler's own
environment record (txnpipe.function_environments), parsed exactly as the Lambda parses it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from capacity.facts import Measurements
from capacity.load_plan import LoadSettings, Rates
from capacity.synthesized import Synthesized
from capacity.transitions import lambda_resource_id
from txnpipe.function_environments import LoadTransactionsEnvironment, PlanChunksEnvironment, RegisterFileEnvironment

LOAD_FUNCTION, VALIDATE_FUNCTION = "load-transactions", "validate-file"


def iter_states(states: Mapping[str, Any]) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """Every (name, state) of an ASL `States` map, branches and item processors included."""
    for name, state in states.items():
        yield name, state
        for branch in state.get("Branches", []):
            yield from iter_states(branch["States"])
        processor = state.get("ItemProcessor") or state.get("Iterator")
        if processor:
            yield from iter_states(processor["States"])


def map_running(synth: Synthesized, slug: str) -> tuple[str, Mapping[str, Any]]:
    """The Map state whose item processor invokes function `slug` (its name and body)."""
    ids = synth.function_ids()
    for name, state in iter_states(synth.state_machine()["definition"]["States"]):
        processor = state.get("ItemProcessor") or state.get("Iterator")
        if state["Type"] == "Map" and processor and any(
                ids.get(lambda_resource_id(s.get("Resource", "")) or "") == slug for _, s in iter_states(processor["States"])):
            return name, state
    raise ValueError(f"no Map state in the {synth.workspace} state machine runs {slug!r}")


def task_invoking(states: Mapping[str, Any], synth: Synthesized, slug: str) -> Mapping[str, Any]:
    """The first Task in `states` that invokes function `slug`."""
    ids = synth.function_ids()
    for _, state in iter_states(states):
        if state["Type"] == "Task" and ids.get(lambda_resource_id(state["Resource"]) or "") == slug:
            return state
    raise ValueError(f"no Task invokes {slug!r}")


def load_settings(synth: Synthesized) -> LoadSettings:
    """Everything the load plan reads from the synthesized stacks."""
    load = synth.function(LOAD_FUNCTION)
    _, load_map = map_running(synth, LOAD_FUNCTION)
    _, chunk_map = map_running(synth, VALIDATE_FUNCTION)
    register = RegisterFileEnvironment.from_environ(synth.function("register-file").environment)
    plan = PlanChunksEnvironment.from_environ(synth.function("plan-chunks").environment)
    return LoadSettings(
        writers=LoadTransactionsEnvironment.from_environ(load.environment).writers,
        map_concurrency=int(load_map["MaxConcurrency"]), reserved=load.reserved, timeout_s=load.timeout_s,
        indexes=len(synth.table("transactions").indexes), large_file_bytes=register.large_file_bytes,
        chunk_bytes=plan.chunk_bytes, chunk_concurrency=int(chunk_map["MaxConcurrency"]),
        load_retry=task_invoking(load_map["ItemProcessor"]["States"], synth, LOAD_FUNCTION)["Retry"],
    )


def rates(measurements: Measurements) -> Rates:
    """The load plan's rates from the measurements file."""
    return Rates(writer_items_per_s=measurements["writer_items_per_s"], item_bytes=measurements["item_bytes"],
                 csv_bytes_per_row=measurements["csv_bytes_per_row"], validate_s_per_mb=measurements["validate_s_per_mb"],
                 plan_s_per_mb=measurements["plan_chunks_s_per_mb"], merge_s_per_mb=measurements["merge_chunks_s_per_mb"])

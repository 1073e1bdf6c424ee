"""AWS service limits the synthesized stacks can reach, checked on the JSON a deploy uses.

Quota pages followed (each test names its line):
* AWS Lambda Developer Guide, "Lambda quotas" (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html):
  environment variables 4 KB in aggregate; deployment package 250 MB unzipped including layers;
  concurrent executions 1,000 per Region (with 100 kept unreserved: API Reference, PutFunctionConcurrency).
* Amazon API Gateway Developer Guide, "Amazon API Gateway quotas" (https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html):
  integration timeout 50 ms - 29 s for REST APIs; payload 10 MB.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import pytest

from tests.security.tfjson import Stacks
from tests.synth import Synth

ENV_LIMIT = 4 * 1024  # "Function environment variables: 4 KB, for all environment variables ... in aggregate"
UNZIPPED_LIMIT = 262_144_000  # "250 MB (unzipped)": GetAccountSettings' CodeSizeUnzipped
INTEGRATION_TIMEOUT_MS = 29_000  # REST API "Integration timeout: 50 milliseconds - 29 seconds"
CONCURRENCY_QUOTA, MIN_UNRESERVED = 1000, 100


def env_bytes(stacks: Stacks, concern: str, body: dict[str, Any]) -> int:
    """Size of the function's variables with references resolved, as the JSON text (>= keys + values)."""
    variables = stacks.resolve(concern, (body.get("environment") or {}).get("variables") or {})
    return len(json.dumps(variables, separators=(",", ":"), ensure_ascii=False).encode("utf-8"))


def oversized_environments(stacks: Stacks) -> list[tuple[str, int]]:
    """(function, bytes) for every function over the 4 KB environment quota."""
    sizes = [(b["function_name"], env_bytes(stacks, c, b)) for c, _, _, b in stacks.resources("aws_lambda_function")]
    return [(name, size) for name, size in sizes if size > ENV_LIMIT]


@pytest.mark.parametrize("workspace", ["local", "prod"])
def test_environment_variables_fit_4_kb(synth_of, workspace: str) -> None:  # type: ignore[no-untyped-def]
    assert oversized_environments(Stacks.of(synth_of(workspace))) == []


def test_the_environment_check_sees_an_oversized_function(local: Synth) -> None:
    # Mutation: one more 4 KB variable on api_ingest.
    stacks = Stacks.of(local).copy()
    body = next(b for c, _, _, b in stacks.resources("aws_lambda_function") if "api-ingest" in b["function_name"])
    body["environment"]["variables"]["PADDING"] = "x" * ENV_LIMIT
    assert [name for name, _ in oversized_environments(stacks)] == ["txnpipe-api-ingest-local"]


def _unzipped(path: Path) -> int:
    with zipfile.ZipFile(path) as archive:
        return sum(info.file_size for info in archive.infolist())


def package_sizes(synth: Synth) -> dict[str, int]:
    """Per function: uncompressed bytes of its zip plus every layer it references (the layer's S3 object source)."""
    stacks = Stacks.of(synth)
    sizes = {}
    for concern, _, _, body in stacks.resources("aws_lambda_function"):
        total = _unzipped(synth.stack_dir(concern) / body["filename"])
        for layer in stacks.points_at(concern, body.get("layers") or [], "aws_lambda_layer_version"):
            owner, name = layer.split("/")
            layer_body = stacks.body(owner, "aws_lambda_layer_version", name) or {}
            (obj,) = stacks.points_at(owner, layer_body["s3_key"], "aws_s3_object")
            total += _unzipped(synth.stack_dir(owner) / (stacks.body(owner, "aws_s3_object", obj.split("/")[1]) or {})["source"])
        sizes[body["function_name"]] = total
    return sizes


def test_every_function_with_its_layers_fits_250_mb_unzipped(local: Synth) -> None:
    sizes = package_sizes(local)
    assert len(sizes) == 13 and min(sizes.values()) > 50_000_000  # the layer is really counted
    assert {n: s for n, s in sizes.items() if s > UNZIPPED_LIMIT} == {}


def test_api_integrations_time_out_within_29_s_and_so_do_their_functions(local: Synth) -> None:
    stacks = Stacks.of(local)
    integrations = [(c, b) for c, _, _, b in stacks.resources("aws_api_gateway_integration") if b.get("type") == "AWS_PROXY"]
    assert len(integrations) == 4
    for concern, body in integrations:
        assert body.get("timeout_milliseconds", INTEGRATION_TIMEOUT_MS) <= INTEGRATION_TIMEOUT_MS
        (function,) = stacks.points_at(concern, body["uri"], "aws_lambda_function")
        owner, name = function.split("/")
        fn = stacks.body(owner, "aws_lambda_function", name) or {}
        assert fn["timeout"] * 1000 < INTEGRATION_TIMEOUT_MS, fn["function_name"]  # answers before the gateway gives up


def reserved_total(stacks: Stacks) -> int:
    return sum(b.get("reserved_concurrent_executions") or 0 for *_, b in stacks.resources("aws_lambda_function"))


def test_prod_reservations_leave_aws_minimum_unreserved(prod: Synth) -> None:
    # prod is alone in its account (stacks/config.py); tests/unit/test_quotas.py sums shared accounts.
    total = reserved_total(Stacks.of(prod))
    assert 0 < total <= CONCURRENCY_QUOTA - MIN_UNRESERVED


def test_the_concurrency_check_sees_the_old_flat_reservation(prod: Synth) -> None:
    # Mutation: every prod function reserving 100 again (1,300).
    stacks = Stacks.of(prod).copy()
    for *_, body in stacks.resources("aws_lambda_function"):
        body["reserved_concurrent_executions"] = 100
    assert reserved_total(stacks) > CONCURRENCY_QUOTA - MIN_UNRESERVED

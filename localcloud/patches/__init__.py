"""The emulator's additions to moto 5.2.5, each small, documented in its module and tested in tests/localcloud.

`PATCHES` lists them (name, module) in the order `install_all` applies them; the README's
"Local cloud" section is written from the same list.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import moto

PINNED_MOTO = "5.2.5"
PATCHES: tuple[tuple[str, str], ...] = (
    ("Step Functions: ValidateStateMachineDefinition, ListStateMachineVersions", "localcloud.patches.stepfunctions"),
    ("Lambda: run the deployed zip + layers in worker processes", "localcloud.patches.lambda_runtime"),
    ("Lambda: event source mappings (DynamoDB streams, SQS) polled in the background", "localcloud.patches.event_sources"),
    ("EventBridge: Step Functions/Lambda targets, input shaping, DLQ; S3 events to the default bus",
     "localcloud.patches.eventbridge"),
    ("API Gateway: REST API invocation over HTTP with AWS_PROXY, API keys, validators", "localcloud.patches.apigateway"),
    ("S3: PutBucketLogging without moto's early grant check", "localcloud.patches.s3_logging"),
    ("S3: bucket policy conditions evaluated (requests count as TLS)", "localcloud.patches.s3_bucket_policy"),
    ("Athena: tag calls with account-less ARNs", "localcloud.patches.athena"),
    ("Step Functions: 256 KiB payload and 25,000-event history quotas", "localcloud.patches.stepfunctions_limits"),
    ("Step Functions: Distributed Map ResultWriter result files", "localcloud.patches.stepfunctions_result_writer"),
)


def check_moto_version() -> None:
    """The additions replace moto internals: refuse any other moto than the one they were written for."""
    if moto.__version__ != PINNED_MOTO:
        raise RuntimeError(f"localcloud patches are written for moto {PINNED_MOTO}, found {moto.__version__}")


def install_all(emulator: Any) -> tuple[Any, Any]:
    """Apply every addition; return the Lambda runtime and the (started) event source pollers."""
    from moto.core.config import default_user_config

    from localcloud.patches import (
        athena,
        event_sources,
        eventbridge,
        lambda_runtime,
        s3_bucket_policy,
        s3_logging,
        stepfunctions,
        stepfunctions_limits,
        stepfunctions_result_writer,
    )

    check_moto_version()
    # Configuration of moto itself (not patches): Step Functions executes definitions; the
    # AWS-managed IAM policies exist (the api stack attaches AmazonAPIGatewayPushToCloudWatchLogs).
    default_user_config["stepfunctions"] = {"execute_state_machine": True}
    default_user_config["iam"] = {"load_aws_managed_policies": True}
    stepfunctions.install()
    stepfunctions_limits.install()
    stepfunctions_result_writer.install()
    s3_logging.install()
    s3_bucket_policy.install()
    athena.install()
    eventbridge.install()
    runtime = lambda_runtime.LambdaRuntime(
        endpoint_url=emulator.endpoint, cache_dir=Path(emulator.work_dir) / "cache",
        log_dir=Path(emulator.work_dir) / "logs", region=emulator.region,
    )
    lambda_runtime.install(runtime)
    pollers = event_sources.install()
    for _, module in PATCHES:
        importlib.import_module(module)
    return runtime, pollers


def wrap_wsgi(app: Any) -> Any:
    """The WSGI application the server runs: moto's, behind the API Gateway invoke route."""
    from localcloud.patches import apigateway

    return apigateway.wrap(app)

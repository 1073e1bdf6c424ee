"""The emulator's additions to moto 5.2.5, each small, documented in its module and tested in tests/localcloud.

`PATCHES` lists them (`Patch(adds=..., module=..., why=...)`), in the order of the README's additions
table, and `LIMITATIONS` what the emulator cannot show; the README's "Local cloud" section is generated
from both (`python -m localcloud.patches --write README.md`; tests/localcloud/test_patch_registry.py
fails when the README differs). `install_all` applies the additions to moto's backends and responses
(in its own order); `wrap_wsgi` puts the request-level ones (API Gateway invocation with its
responses, validation and limits; S3 presigned URLs and bodies) in front of moto's WSGI app.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import moto

from localcloud.patch_registry import Limitation, Patch

PINNED_MOTO = "5.2.5"
PATCHES: tuple[Patch, ...] = (
    Patch(adds="Step Functions `ValidateStateMachineDefinition` (moto's parser + the real `asl-validator`, diagnostics in "
          "AWS's shape), `ListStateMachineVersions`; `CreateStateMachine`/`UpdateStateMachine` refuse what validation "
          "refuses with `InvalidDefinition` (400); unnamed `StartExecution` gets a UUID",
          module="localcloud.patches.stepfunctions",
          why="the provider validates the definition before creating it and fails the plan/apply on `FAIL`; moto accepted "
              "any definition its parser could read (e.g. `format` next to `format.$`, which AWS refuses) and named every "
              'unnamed execution "None"'),
    Patch(adds="Step Functions quotas: 256 KiB state payloads (compact UTF-8 JSON, inclusive), `States.DataLimitExceeded` "
          "not caught by `States.ALL`, `States.*` errors keep their name out of Parallel/Map, 25,000-event history "
          "(event 25,000 must be `ExecutionSucceeded`)",
          module="localcloud.patches.stepfunctions_limits",
          why="moto miscounted payloads, let a catch-all catch the terminal error, and kept unlimited history"),
    Patch(adds="Distributed Map: `ResultWriter` writes `SUCCEEDED_0.json`/`FAILED_0.json` + `manifest.json` as AWS "
          "documents; tolerated-failure thresholds enforced (`States.ExceedToleratedFailureThreshold`)",
          module="localcloud.patches.stepfunctions_result_writer",
          why="moto wrote an empty manifest and ignored the thresholds"),
    Patch(adds="Lambda invocation from the deployed zip + layers in worker processes (env, timeout, errors as Lambda "
          "reports them, async `Event` invokes with retries + DLQ, logs to the log group)",
          module="localcloud.patches.lambda_runtime", why="moto needs docker"),
    Patch(adds="Event source mappings polled in the background: DynamoDB streams (start position, FilterCriteria, batch "
          "size/window, `ReportBatchItemFailures`, bisect, retries, on-failure destination) and SQS (batch, partial "
          "failures, redrive)", module="localcloud.patches.event_sources",
          why="moto invokes synchronously inside the write, with the whole shard history, and ignores all of these"),
    Patch(adds="EventBridge: Step Functions and Lambda targets, Input/InputPath/InputTransformer (AWS quoting rules), ISO "
          "`time`, rule state, target DLQ with EventBridge's error attributes; S3 events only to the default bus",
          module="localcloud.patches.eventbridge",
          why="moto raised NotImplementedError for these targets and sent S3 events to every bus"),
    Patch(adds="CloudWatch metric alarms evaluated every emulated minute on the emulated clock: Sum/Average/Minimum/"
          "Maximum/SampleCount/pNN per aligned period, M of N, TreatMissingData as AWS's table, metric math (arithmetic, "
          "comparisons, `IF`, `FILL`); new alarms start `INSUFFICIENT_DATA`; state changes as `SetAlarmState` writes "
          "them, `DescribeAlarmHistory` (state updates, actions); SNS actions publish AWS's notification JSON when the "
          "topic policy (and the topic's KMS key policy) allows `cloudwatch.amazonaws.com`, else a failed Action item",
          module="localcloud.patches.cloudwatch_alarms",
          why="moto stored alarms and never evaluated them (every alarm stayed OK), so no alarm could be seen firing "
              "or notifying the alert topic locally"),
    Patch(adds="EventBridge Scheduler schedules fire on the emulated clock: `rate`, `cron` in the schedule's timezone, "
          "`at`, StartDate/EndDate, ENABLED only; Lambda (async invoke), SQS and Step Functions targets with the "
          "context attributes in Input; the role must trust `scheduler.amazonaws.com`; RetryPolicy, then the DLQ with "
          "Scheduler's attributes", module="localcloud.patches.scheduler",
          why="moto stored schedules and never ran them"),
    Patch(adds="API Gateway REST invocation over HTTP at `<endpoint>/restapis/<id>/<stage>/_user_request_/<path>`: routing "
          "(`{param}`, `{proxy+}`, `ANY`), API keys via usage plans, request validators (required parameters, "
          "JSON-schema models), `AWS_PROXY` (payload 1.0) with the Lambda permission check, `MOCK`",
          module="localcloud.patches.apigateway", why="moto only invokes APIs in-process"),
    Patch(adds="API Gateway gateway responses: the type's, else `DEFAULT_4XX`/`DEFAULT_5XX`, else the built-in body; "
          "simple `$context.*` substitution (VTL refused loudly, as AWS does not run it); integration timeout → 504; one "
          "request id for the event, the `x-amzn-RequestId` header and `$context.requestId`",
          module="localcloud.patches.apigateway_responses",
          why="moto stores gateway responses but never renders them, so partners' error shape was untestable"),
    Patch(adds="API Gateway request validators report `$context.error.validationErrorString` in API Gateway's wording "
          "(missing properties, type, enum, pattern, lengths, bounds)",
          module="localcloud.patches.apigateway_validation",
          why="the BAD_REQUEST_BODY response carries the reasons only through that string"),
    Patch(adds="API Gateway throttles and quotas: token buckets for stage method settings, usage-plan per-method and "
          "per-key throttles, quotas per DAY/WEEK/MONTH with offset → 429 `THROTTLED`/`QUOTA_EXCEEDED` (exact, where "
          "AWS is best-effort)",
          module="localcloud.patches.apigateway_limits",
          why="moto stores usage plans and method settings but enforces neither"),
    Patch(adds="S3 `PutBucketLogging` without the target-grant check", module="localcloud.patches.s3_logging",
          why="the check raced terraform's parallel bucket-policy create (LocalStack drops it too)"),
    Patch(adds="S3 bucket policies: IAM condition semantics (negated operators and `ForAllValues` true on a missing key, "
          "`...IfExists`, `Null`, `ForAnyValue`) against each request's context: SSE headers (for UploadPart/Complete: "
          "the upload's encryption), principal from the access key, `s3:authType`, `s3:signatureversion`; multipart "
          "calls authorized as `s3:PutObject`; denials answer S3's `AccessDenied` XML; requests count as TLS 1.3 (plain "
          "HTTP on loopback)",
          module="localcloud.patches.s3_bucket_policy",
          why="moto counted a missing key as met, so the raw bucket's encryption denies never fired (uploads AWS refuses "
              "succeeded here)"),
    Patch(adds="S3 presigned SigV4 URLs verified with botocore's signer: `SignatureDoesNotMatch`, unsigned `x-amz-*` "
          "headers (`HeadersNotSigned`), `Request has expired`, `AuthorizationQueryParametersError`; secret `test` for "
          "every key moto's IAM does not know", module="localcloud.patches.s3_presigned",
          why="moto accepted a PUT without the signed headers and expired URLs"),
    Patch(adds="S3 object bodies stored byte for byte whatever the Content-Type (the sent Content-Type is stored)",
          module="localcloud.patches.s3_body",
          why="`curl -X PUT --data-binary` (curl's form content type) stored an empty object"),
    Patch(adds="Athena tag calls with account-less ARNs; `ResourceNotFoundException` for a workgroup or data catalog that "
          "does not exist", module="localcloud.patches.athena",
          why="the provider builds `arn:aws:athena:<region>::workgroup/..` when it skips the account lookup; moto "
              "answered \"Does Not Exist\" for an untagged workgroup and tagged resources that do not exist"),
    Patch(adds="Lambda account concurrency quota on `PutFunctionConcurrency` (at least 100 stay unreserved, AWS's error "
          "text; quota `LOCALCLOUD_LAMBDA_CONCURRENCY_QUOTA`, default 1,000); `GetAccountSettings`",
          module="localcloud.patches.lambda_concurrency",
          why="moto enforced no quota unless `MOTO_LAMBDA_CONCURRENCY_QUOTA` was set, and had no `GetAccountSettings`"),
    Patch(adds="S3 `GetBucketNotificationConfiguration` returns the `EventBridgeConfiguration` it was given",
          module="localcloud.patches.s3_notification",
          why="moto left it out, so every plan after apply wanted `eventbridge false -> true` on the raw bucket"),
    Patch(adds="S3 versioning-suspended buckets: a DELETE with a VersionId deletes that version only, a simple DELETE "
          "replaces the `null` version by a `null` delete marker, a PUT replaces only the `null` version",
          module="localcloud.patches.s3_versions",
          why="`terraform destroy` suspends versioning before `force_destroy` deletes every version; moto then dropped "
              "all versions at once and crashed on a delete marker, so the destroy retried until it timed out"),
    Patch(adds="CloudWatch Logs `PutMetricFilter` refuses a log group that does not exist (`ResourceNotFoundException`) "
          "and a pattern the emulator cannot evaluate (`InvalidParameterException` naming it); a filter of the same "
          "name is replaced",
          module="localcloud.patches.logs_metric_filters",
          why="moto stored filters on any name, so the observability stack's missing dependency on the stacks that "
              "create the log groups went unnoticed; a pattern the emulator cannot read would silently match nothing"),
    Patch(adds="CloudWatch Logs events become metrics: embedded metric format documents (Powertools `Metrics`) and "
          "metric filters (terms, quoted terms, `?`/`-` terms, JSON comparisons with `&&`/`||`; `metricValue` "
          "`$.field`, dimensions, `defaultValue` for a batch without a match)",
          module="localcloud.patches.logs_metrics",
          why="moto stored log events and metric filters but produced no datapoint, so log-based alarms never fired"),
    Patch(adds="CloudWatch `GetMetricStatistics`/`GetMetricData` read the exact dimension combination queried",
          module="localcloud.patches.cloudwatch_statistics",
          why="moto summed every datapoint having at least the queried dimensions (all of them for a query without "
              "dimensions), so a Lambda invocation, published under three dimension sets as AWS does, counted three "
              "times"),
    Patch(adds="CloudWatch `GetMetricData` computes MetricStat queries per period from the rounded StartTime "
          "(Sum/Average/Minimum/Maximum/SampleCount/pNN, `Unit`, `ScanBy`) and evaluates metric math (arithmetic, "
          "comparisons, `IF`, `FILL`, `ABS`/`CEIL`/`FLOOR`, nested expressions, `ReturnData: false` not returned); "
          "an expression it cannot evaluate answers `ValidationError` naming it; `SEARCH`/`SELECT` left to moto",
          module="localcloud.patches.cloudwatch_metric_data",
          why="moto computed no percentile and evaluated only a bare-id expression (any other: an empty series), so "
              "the dashboard's error-rate and p99 latency widgets showed no data"),
    Patch(adds="AWS service metrics: `AWS/Lambda` Invocations/Errors/Duration, `AWS/SQS` queue depth and oldest "
          "message age (each emulated minute), `AWS/States` execution counts and ExecutionTime, `AWS/ApiGateway` "
          "Count/4XXError/5XXError/Latency/IntegrationLatency, `AWS/SNS` NumberOfMessagesPublished/PublishSize, with "
          "AWS's dimensions and units",
          module="localcloud.patches.service_metrics",
          why="moto publishes no service metric, so no alarm on them could ever see a datapoint"),
    Patch(adds="DynamoDB, CloudWatch and IAM requests handled one at a time (each still one atomic operation, as in "
          "AWS); IAM's role lookups from other services read a snapshot",
          module="localcloud.patches.request_locks",
          why="moto's threaded server let a `Query` iterate a table's items while a `PutItem` added one (and "
              "`DescribeAlarms` while alarms were created, `GetRole` while roles were deleted): `dictionary changed size "
              "during iteration`, a bare 500"),
    Patch(adds="DynamoDB key size limits on reads and deletes: `GetItem`, `BatchGetItem`, `DeleteItem`, `UpdateItem` "
          "and `Query` naming a partition key over 2048 bytes (sort key over 1024) answer `ValidationException`",
          module="localcloud.patches.dynamodb_key_limits",
          why="moto checked the limits on writes only and answered such a read with no item, so a handler looking up a "
              "caller's id could not see the 400 AWS gives it (which it would have answered as a 500)"),
    Patch(adds="DynamoDB `TransactWriteItems` all-or-nothing without copying tables: every condition checked first, "
          "nothing written unless all pass (one `CancellationReasons` entry per action, `None` for the others); the 4 MB "
          "aggregate item size refused with `ValidationException`",
          module="localcloud.patches.dynamodb_transactions",
          why="moto deep-copied each named table before every transaction, so its cost grew with the table (the "
              "loader's handler tests, 60 transactions into a table of up to 6,000 items, took 7 min 24 s; 10 s "
              "without the copies), and accepted any size"),
    Patch(adds="Fault injection: `BatchGetItem` on an armed table reads only part of each request and returns the rest "
          "as `UnprocessedKeys`; `TransactWriteItems` naming an armed table is canceled with `ThrottlingError` "
          "(`throttle_reads`, `throttle_transactions`, used by the tests; nothing armed by default)",
          module="localcloud.patches.dynamodb_throttling",
          why="moto serves every request in full, so a loader's retry of throttled reads and writes (with backoff, as "
              "AWS advises) never ran"),
    Patch(adds="Fault injection: SNS `Publish` to an armed topic fails with `KMSThrottling` (HTTP 400, not retried by "
          "the SDK; `fail_publishes`, used by the tests; nothing armed by default)",
          module="localcloud.patches.sns_faults",
          why="moto never fails a Publish, so an alert path that loses the alert when SNS fails could not be seen"),
    Patch(adds="Fault injection: an S3 event delivered twice to the default bus's rules (one event id), and a rule "
          "target's next deliveries failing with `AccessDeniedException`, dead-lettered at once "
          "(`deliver_s3_events_twice`, `fail_deliveries`; nothing armed by default)",
          module="localcloud.patches.eventbridge_faults",
          why="EventBridge delivers at least once and dead-letters what it cannot deliver; moto delivers each event "
              "exactly once and never fails, so neither the duplicate-event path nor the rule's DLQ could be seen"),
    Patch(adds="Glue tag calls with account-less ARNs", module="localcloud.patches.glue_tags",
          why="the provider builds `arn:aws:glue:<region>::database/..` when it skips the account lookup; moto answered "
              "no tags, so every plan after apply wanted to add the default tags to the Glue database"),
)
# Rows of the README table that are moto configuration (set in `install_all`), not patches.
CONFIGURATION: tuple[tuple[str, str], ...] = (
    ("moto configuration: Step Functions executes definitions; AWS-managed IAM policies loaded",
     "the api stack attaches `AmazonAPIGatewayPushToCloudWatchLogs`"),
)
LIMITATIONS: tuple[Limitation, ...] = (
    Limitation(cannot_show="IAM is not enforced (moto enforces it reliably for S3/SQS only; least privilege is "
               "checked by the policy tests, not here).",
               verify="each role can do what the pipeline needs (no AccessDenied in function logs or executions)."),
    Limitation(cannot_show="KMS encryption is bookkeeping: key policies are evaluated only for CloudWatch alarm "
               "notifications to an encrypted topic.",
               verify="every service and role that reads or writes encrypted data can use the key."),
    Limitation(cannot_show="Metrics of what the emulator never does are not produced: throttles (Lambda `Throttles`, "
               "Step Functions `ExecutionThrottled`, DynamoDB `ReadThrottleEvents`/`WriteThrottleEvents`), API "
               "Gateway's per-method detailed metrics. Composite alarms are not evaluated, alarm actions other than "
               "SNS fail, and an alarm whose window has no data goes to INSUFFICIENT_DATA without AWS's longer "
               "look-back.",
               verify="the throttle alarms fire when AWS throttles."),
    Limitation(cannot_show="EventBridge Scheduler checks a schedule role's trust policy, not its permissions, and "
               "retries every failed delivery (AWS does not document which errors it retries).",
               verify="the schedule's role may invoke its target."),
    Limitation(cannot_show="API caching and X-Ray are not emulated; AWS applies throttles and quotas on a best-effort "
               "basis where the emulator is exact, and the emulator serves an API's current configuration, not its "
               "deployed snapshot (a test checks that every gateway change redeploys the stage).",
               verify="traces appear in X-Ray; a burst over a usage plan answers 429."),
    Limitation(cannot_show="Lambda memory limits and concurrency limits at invoke time (throttling) are not emulated "
               "(reservations are checked against the account quota), and cold starts are serialized per core, so "
               "their latency is not AWS's.",
               verify="memory headroom (`Max Memory Used` in REPORT lines), throttling, cold starts within timeouts."),
    Limitation(cannot_show="EventBridge target retry policies (AWS retries for up to 24 h) are not emulated: a "
               "failed delivery goes straight to the target's DLQ.",
               verify="a transiently failing target is retried before dead-lettering."),
    Limitation(cannot_show="S3 lifecycle rules never run.", verify="objects expire and transition as configured."),
    Limitation(cannot_show='moto also emits an "Object ACL Updated" event for every PutObject.',
               verify="the rules see only the events AWS sends."),
)


def check_moto_version() -> None:
    """The additions replace moto internals: refuse any other moto than the one they were written for."""
    if moto.__version__ != PINNED_MOTO:
        raise RuntimeError(f"localcloud patches are written for moto {PINNED_MOTO}, found {moto.__version__}")


def install_all(emulator: Any) -> tuple[Any, Any]:
    """Apply every addition; return the Lambda runtime and the (started) event source pollers.

    The other background work (SQS metrics sampler, alarm evaluator, scheduler) goes to `emulator.background`.
    """
    from moto.core.config import default_user_config

    from localcloud import clock
    from localcloud.patches import (
        athena,
        cloudwatch_alarms,
        cloudwatch_metric_data,
        cloudwatch_statistics,
        dynamodb_key_limits,
        dynamodb_throttling,
        dynamodb_transactions,
        event_sources,
        eventbridge,
        glue_tags,
        lambda_concurrency,
        lambda_runtime,
        logs_metric_filters,
        logs_metrics,
        request_locks,
        s3_bucket_policy,
        s3_logging,
        s3_notification,
        s3_versions,
        scheduler,
        service_metrics,
        sns_faults,
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
    lambda_concurrency.install()
    s3_notification.install()
    s3_versions.install()
    logs_metric_filters.install()
    logs_metrics.install()
    cloudwatch_statistics.install()
    cloudwatch_metric_data.install()  # after cloudwatch_statistics: SEARCH requests still go through it
    glue_tags.install()
    dynamodb_key_limits.install()
    dynamodb_transactions.install()
    dynamodb_throttling.install()  # after dynamodb_transactions: it wraps that
    sns_faults.install()
    eventbridge.install()
    request_locks.install()
    runtime = lambda_runtime.LambdaRuntime(
        endpoint_url=emulator.endpoint, cache_dir=Path(emulator.work_dir) / "cache",
        log_dir=Path(emulator.work_dir) / "logs", region=emulator.region,
    )
    lambda_runtime.install(runtime)
    pollers = event_sources.install()
    clock.start()  # emulated time (LOCALCLOUD_TIME_SCALE) counts from the emulator's start
    emulator.background += [service_metrics.install(), cloudwatch_alarms.install(), scheduler.install()]
    for patch in PATCHES:
        importlib.import_module(patch.module)
    return runtime, pollers


def wrap_wsgi(app: Any) -> Any:
    """The WSGI application the server runs: moto's, behind the API Gateway invoke route and the S3 checks."""
    from localcloud.patches import apigateway, request_locks, s3_body, s3_presigned

    return apigateway.wrap(s3_presigned.wrap(s3_body.wrap(request_locks.wrap(app))))

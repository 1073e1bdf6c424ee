"""The file state machine (Amazon States Language), built from data so tests can read it back.

register → duplicate? → VALIDATING → size/format routing → validate (one Lambda, or a
Distributed Map over byte-range chunks for large files) → REJECTED | PROCESSING →
parallel [load transactions ‖ audit quarantine] → COMPLETED[_WITH_ERRORS] → FileProcessed.
Every Task retries transient errors (3 attempts in all, exponential backoff with full jitter);
every failure is caught, recorded as FAILED with its reason, and alerted. The validating tasks
store a `FileValidation` (txnpipe.file_validation) at `$.validation`; every path into it is
built from that record's field names.

Within Step Functions' quotas whatever the file (256 KiB per state input/output, 25,000 history
events per execution; "Step Functions service quotas"): lists that grow with dates x chunks never
travel in the state. Chunk results go to S3 through ValidateChunks' ResultWriter; the processed
Parquet keys are a manifest object (txnpipe.manifests) that the Distributed Map LoadTransactions
reads with an ItemReader, so each object's load is a child execution with its own history.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from txnpipe.file_validation import RESULT_PATH, Field, validation_path
from txnpipe.layout import CHUNK_RESULTS_PREFIX, LOAD_RESULTS_PREFIX
from txnpipe.manifests import CHUNK_RESULTS

TRANSIENT_ERRORS = [
    "TransientError", "Lambda.ServiceException", "Lambda.AWSLambdaException",
    "Lambda.SdkClientException", "Lambda.TooManyRequestsException",
]
RETRY = [{"ErrorEquals": TRANSIENT_ERRORS, "IntervalSeconds": 2, "BackoffRate": 2.0,
          "MaxAttempts": 2, "MaxDelaySeconds": 20, "JitterStrategy": "FULL"}]
# A load throttled by its reserved concurrency (several files loading at once) waits for a slot
# for up to ~6 minutes instead of failing the file after 20 s; other errors keep RETRY.
# A load whose runtime died mid-batch (Runtime.ExitError: killed, out of memory) is run again: the
# load is idempotent (keyed puts), so the retry completes the part and stores each row once.
THROTTLED_LOAD_RETRY = [{"ErrorEquals": ["Lambda.TooManyRequestsException"], "IntervalSeconds": 5, "BackoffRate": 2.0,
                         "MaxAttempts": 8, "MaxDelaySeconds": 60, "JitterStrategy": "FULL"},
                        {"ErrorEquals": ["Runtime.ExitError"], "IntervalSeconds": 2, "BackoffRate": 2.0,
                         "MaxAttempts": 2, "MaxDelaySeconds": 20, "JitterStrategy": "FULL"}, *RETRY]
CATCH_ALL = [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "RecordFailure"}]


def from_validation(*names: Field) -> dict[str, str]:
    """Parameters passing fields of the stored `FileValidation` on under their own names."""
    return {f"{name}.$": validation_path(name) for name in names}


COUNTS = from_validation("rows_total", "rows_valid", "rows_rejected")
OUTPUTS = from_validation("processed_bucket", "processed_manifest_key", "quarantine_bucket", "quarantine_key")
DESCRIPTOR = ("file_id", "bucket", "key", "version_id", "partner_id", "format", "size")
# Concurrent LoadTransactions children: each runs 8 writer threads, so at most 64 writers
# hit the transactions table at once (bounded write pressure and throttling on one partition set).
LOAD_CONCURRENCY = 8


@dataclass(frozen=True, kw_only=True)
class Targets:
    """ARNs the definition calls (Terraform references at synth time)."""

    register: str
    status: str
    validate: str
    plan_chunks: str
    merge_chunks: str
    load: str
    summarize: str
    event_bus: str
    alert_topic: str
    manifest_bucket: str


def task(resource: str, next_: str | None, *, parameters: dict[str, Any] | None = None,
         result_path: str | None = "$", catch: bool = True, **extra: Any) -> dict[str, Any]:
    """A Task with the standard retry policy and (unless nested) the catch-all to RecordFailure."""
    state: dict[str, Any] = {"Type": "Task", "Resource": resource, "Retry": RETRY, "ResultPath": result_path, **extra}
    if parameters is not None:
        state["Parameters"] = parameters
    if catch:
        state["Catch"] = CATCH_ALL
    state.update({"Next": next_} if next_ else {"End": True})
    return state


def status(t: Targets, value: str, next_: str, **details: Any) -> dict[str, Any]:
    """A file_status task moving the file to `value` (result kept in $.final)."""
    parameters: dict[str, Any] = {"file_id.$": "$.file_id", "status": value}
    if "reason.$" in details:
        parameters["reason.$"] = details.pop("reason.$")
    if details:
        parameters["details"] = details
    return task(t.status, next_, parameters=parameters, result_path="$.final")


def descriptor(**overrides: str) -> dict[str, Any]:
    """Parameters passing the file descriptor through to a function."""
    return {**{f"{k}.$": f"$.{k}" for k in DESCRIPTOR}, **overrides}


def definition(t: Targets) -> str:
    """The state machine definition as JSON text (large vs small is decided by register_file)."""
    states: dict[str, Any] = {
        "Register": task(t.register, "IsDuplicate", catch=False, Catch=[
            {"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "AlertFailure"}]),
        "IsDuplicate": {"Type": "Choice", "Choices": [
            {"Variable": "$.duplicate", "BooleanEquals": True, "Next": "Duplicate"}], "Default": "MarkValidating"},
        "Duplicate": {"Type": "Succeed", "Comment": "same object version already registered"},
        "MarkValidating": status(t, "VALIDATING", "RouteBySize"),
        "RouteBySize": {"Type": "Choice", "Choices": [
            {"Variable": "$.large", "BooleanEquals": True, "Next": "PlanChunks"}], "Default": "RouteByFormat"},
        "RouteByFormat": {"Type": "Choice", "Choices": [
            {"Variable": "$.format", "StringEquals": "csv", "Next": "ValidateCsv"},
            {"Variable": "$.format", "StringEquals": "json", "Next": "ValidateJson"}], "Default": "UnsupportedFormat"},
        "UnsupportedFormat": {"Type": "Pass", "Result": {"Error": "UnsupportedFormat", "Cause": "not csv or json"},
                              "ResultPath": "$.error", "Next": "RecordFailure"},
        # The descriptor already carries "format.$" (checked by RouteByFormat): a second "format" key
        # would collide once ".$" is stripped, which AWS refuses (ASL spec, payload templates).
        "ValidateCsv": task(t.validate, "CheckValidation", parameters=descriptor(), result_path=RESULT_PATH),
        "ValidateJson": task(t.validate, "CheckValidation", parameters=descriptor(), result_path=RESULT_PATH),
        **_chunked(t),
        "CheckValidation": {"Type": "Choice", "Choices": [
            {"Variable": validation_path("status"), "StringEquals": "REJECTED", "Next": "MarkRejected"}],
            "Default": "MarkProcessing"},
        "MarkRejected": status(t, "REJECTED", "PublishFileProcessed", **from_validation("reason"), **COUNTS),
        "MarkProcessing": status(t, "PROCESSING", "StoreAndAudit"),
        "StoreAndAudit": {"Type": "Parallel", "Branches": [_load_branch(t), _quarantine_branch(t)],
                          "ResultPath": None, "Next": "HasRejectedRows", "Catch": CATCH_ALL},
        "HasRejectedRows": {"Type": "Choice", "Choices": [
            {"Variable": validation_path("rows_rejected"), "NumericGreaterThan": 0, "Next": "MarkCompletedWithErrors"}],
            "Default": "MarkCompleted"},
        "MarkCompleted": status(t, "COMPLETED", "PublishFileProcessed", **COUNTS, **OUTPUTS),
        "MarkCompletedWithErrors": status(t, "COMPLETED_WITH_ERRORS", "PublishFileProcessed", **COUNTS, **OUTPUTS),
        "PublishFileProcessed": task("arn:aws:states:::events:putEvents", "Done", result_path=None, parameters={
            "Entries": [{"EventBusName": t.event_bus, "Source": "txnpipe.pipeline", "DetailType": "FileProcessed",
                         "Detail": {"file_id.$": "$.file_id", "partner_id.$": "$.partner_id",
                                    "status.$": "$.final.status", "object_key.$": "$.key"}}]}),
        "Done": {"Type": "Succeed"},
        **_failure(t),
    }
    return json.dumps({"Comment": "txnpipe file pipeline", "StartAt": "Register", "States": states}, indent=1)


def result_writer(t: Targets, prefix: str) -> dict[str, Any]:
    """Child execution results to S3 (manifest.json + SUCCEEDED_n.json) instead of into the state."""
    return {"Resource": "arn:aws:states:::s3:putObject", "Parameters": {"Bucket": t.manifest_bucket, "Prefix": prefix}}


def _chunked(t: Targets) -> dict[str, Any]:
    """Large files: plan byte-range chunks, validate them in a Distributed Map, merge the results."""
    return {
        "PlanChunks": task(t.plan_chunks, "ValidateChunks", parameters=descriptor(), result_path="$.plan"),
        "ValidateChunks": {
            # Any failed chunk fails the file. 0.0, not 0: moto 5.2.5's ASL lexer refuses a bare 0 here.
            "Type": "Map", "MaxConcurrency": 40, "ToleratedFailurePercentage": 0.0,
            "ItemReader": {"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {"InputType": "JSON"},
                           "Parameters": {"Bucket": t.manifest_bucket, "Key.$": "$.plan.manifest_key"}},
            # Each item is already a batch: a row-aligned byte range of CHUNK_BYTES (~500k rows).
            "ItemSelector": {**descriptor(), "chunk.$": "$$.Map.Item.Value"},
            "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                              "StartAt": "ValidateChunk",
                              "States": {"ValidateChunk": task(t.validate, None, catch=False)}},
            "ResultWriter": result_writer(t, CHUNK_RESULTS_PREFIX),
            "ResultPath": f"$.{CHUNK_RESULTS}", "Next": "MergeChunks", "Catch": CATCH_ALL,
        },
        "MergeChunks": task(t.merge_chunks, "CheckValidation", result_path=RESULT_PATH, parameters={
            **descriptor(), f"{CHUNK_RESULTS}.$": f"$.{CHUNK_RESULTS}.ResultWriterDetails"}),
    }


def _load_branch(t: Targets) -> dict[str, Any]:
    """One child execution per Parquet object, listed by the processed-keys manifest (any file size)."""
    return {"StartAt": "LoadTransactions", "States": {"LoadTransactions": {
        "Type": "Map", "MaxConcurrency": LOAD_CONCURRENCY, "ToleratedFailurePercentage": 0.0,
        "ItemReader": {"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {"InputType": "JSON"},
                       "Parameters": {"Bucket": t.manifest_bucket, "Key.$": validation_path("processed_manifest_key")}},
        "ItemSelector": {"key.$": "$$.Map.Item.Value", "bucket.$": validation_path("processed_bucket"),
                         "partner_id.$": "$.partner_id"},
        "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}, "StartAt": "LoadPart",
                          "States": {"LoadPart": task(t.load, None, catch=False, Retry=THROTTLED_LOAD_RETRY)}},
        "ResultWriter": result_writer(t, LOAD_RESULTS_PREFIX), "End": True}}}


def _quarantine_branch(t: Targets) -> dict[str, Any]:
    return {"StartAt": "AnyRejectedRows", "States": {
        "AnyRejectedRows": {"Type": "Choice", "Choices": [
            {"Variable": validation_path("rows_rejected"), "NumericGreaterThan": 0, "Next": "AuditQuarantine"}],
            "Default": "NothingQuarantined"},
        "AuditQuarantine": task(t.summarize, None, catch=False, parameters={
            "file_id.$": "$.file_id", **from_validation("quarantine_bucket", "quarantine_key")}),
        "NothingQuarantined": {"Type": "Pass", "End": True}}}


def _failure(t: Targets) -> dict[str, Any]:
    return {
        "RecordFailure": task(t.status, "AlertFailure", catch=False, result_path="$.final", parameters={
            "file_id.$": "$.file_id", "status": "FAILED",
            "reason.$": "States.Format('{}: {}', $.error.Error, $.error.Cause)"},
            Catch=[{"ErrorEquals": ["States.ALL"], "ResultPath": "$.record_error", "Next": "AlertFailure"}]),
        # SNS takes <= 256 KB, and the state may hold up to 256 KiB: a registered file's alert carries
        # only bounded fields; before registration the state is the (small) S3 event plus the error.
        "AlertFailure": {"Type": "Choice", "Choices": [
            {"Variable": "$.file_id", "IsPresent": True, "Next": "AlertFileFailure"}], "Default": "AlertEventFailure"},
        "AlertFileFailure": _alert(t, {"file_id.$": "$.file_id", "bucket.$": "$.bucket", "key.$": "$.key",
                                       "partner_id.$": "$.partner_id", "error.$": "$.error"}),
        "AlertEventFailure": _alert(t, {"event.$": "$.detail", "error.$": "$.error"}),
        "Failed": {"Type": "Fail", "Error": "FileFailed", "Cause": "the pipeline failed; see the files table and alert"},
    }


def _alert(t: Targets, message: dict[str, Any]) -> dict[str, Any]:
    """Publish `message` (Step Functions serializes the object to JSON) to the alert topic, then fail."""
    return task("arn:aws:states:::sns:publish", "Failed", catch=False, result_path=None, parameters={
        "TopicArn": t.alert_topic, "Subject": "txnpipe: file processing FAILED", "Message": message},
        Catch=[{"ErrorEquals": ["States.ALL"], "ResultPath": "$.alert_error", "Next": "Failed"}])

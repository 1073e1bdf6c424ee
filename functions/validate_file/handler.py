"""Validate + transform one file in a single streaming pass; write Parquet and quarantine to S3."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from txnpipe import clients
from txnpipe.domain.files import process_file
from txnpipe.domain.results import FileResult
from txnpipe.errors import transient_errors
from txnpipe.file_validation import FileValidation
from txnpipe.function_environments import FileOutputEnvironment
from txnpipe.layout import PROCESSED_PREFIX, processed_manifest_key, quarantine_key
from txnpipe.manifests import write_keys
from txnpipe.timeutil import utc_now

logger = Logger()
tracer = Tracer()
metrics = Metrics()
ENV = FileOutputEnvironment.from_environ()
ERROR_SAMPLE = 20  # reasons carried in the state (the quarantine object has all of them)


@dataclass(frozen=True, kw_only=True)
class _Written:
    """Keys of what one validation wrote."""

    manifest_key: str
    objects: int
    quarantine_key: str | None


@tracer.capture_lambda_handler
@logger.inject_lambda_context
@metrics.log_metrics
@transient_errors
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    """Input: the file descriptor (plus `chunk` for one byte range of a large file).

    Output: a `FileValidation` (counts, status and the objects written); the Parquet keys are listed
    in a manifest in the work bucket (`processed_manifest_key`), never in the output, which stays small.
    """
    chunk = event.get("chunk")
    args = _object_args(event) | ({"Range": f"bytes={chunk['start']}-{chunk['end'] - 1}"} if chunk else {})
    body = clients.client("s3").get_object(**args)["Body"]
    with tempfile.TemporaryDirectory() as tmp:
        result = process_file(
            body, fmt=event["format"], partner_id=event["partner_id"], file_id=event["file_id"],
            ingested_at=utc_now(), out_dir=Path(tmp),
            csv_header=chunk["header"].encode("utf-8", errors="surrogateescape") if chunk and chunk["header"] else None,
            first_row=chunk["first_row"] if chunk else 1,
        )
        suffix = f"-c{chunk['index']:05d}" if chunk else ""
        written = _upload(result, Path(tmp), event, suffix)
    _record_metrics(result)
    logger.info("file validated", extra={"file_id": event["file_id"], "status": result.status,
                                         "rows_total": result.rows_total, "rows_rejected": result.rows_rejected})
    return FileValidation(
        status=result.status, rows_total=result.rows_total, rows_valid=result.rows_valid,
        rows_rejected=result.rows_rejected, reason=result.reject_reason, chunk=chunk,
        errors_sample=result.errors[:ERROR_SAMPLE], processed_bucket=ENV.processed_bucket,
        processed_manifest_key=written.manifest_key, processed_objects=written.objects,
        quarantine_bucket=ENV.quarantine_bucket, quarantine_key=written.quarantine_key,
    ).to_state()


def _object_args(event: dict[str, Any]) -> dict[str, str]:
    args = {"Bucket": event["bucket"], "Key": event["key"]}
    if event.get("version_id"):
        args["VersionId"] = event["version_id"]
    return args


def _upload(result: FileResult, out_dir: Path, event: dict[str, Any], suffix: str) -> _Written:
    """Upload the outputs and the manifest of Parquet keys.

    `suffix` names a chunk's parts (the file_id column stays the file's).
    """
    s3 = clients.client("s3")
    processed_keys = []
    for rel in result.processed_files:
        key = f"{PROCESSED_PREFIX}/{Path(*rel.parts[1:]).as_posix()}"  # drop the local "processed/" folder
        key = key.removesuffix(".parquet") + f"{suffix}.parquet"
        s3.upload_file(str(out_dir / rel), ENV.processed_bucket, key)
        processed_keys.append(key)
    quarantined = None
    if result.quarantine_file is not None:
        quarantined = quarantine_key(partner_id=event["partner_id"], file_id=event["file_id"], suffix=suffix)
        s3.upload_file(str(out_dir / result.quarantine_file), ENV.quarantine_bucket, quarantined)
    manifest = write_keys(s3, ENV.work_bucket, processed_manifest_key(event["file_id"], suffix), processed_keys)
    return _Written(manifest_key=manifest, objects=len(processed_keys), quarantine_key=quarantined)


def _record_metrics(result: FileResult) -> None:
    metrics.add_metric(name="RowsValid", unit=MetricUnit.Count, value=result.rows_valid)
    metrics.add_metric(name="RowsRejected", unit=MetricUnit.Count, value=result.rows_rejected)
    metrics.add_metric(name="FilesRejected", unit=MetricUnit.Count, value=int(result.status == "REJECTED"))
    metrics.add_metric(name="BytesProcessed", unit=MetricUnit.Bytes, value=result.bytes_read)

"""Large files: merge the chunk results into one file result (`FileValidation`, as validate_file returns it).

Across chunks it does what one pass would have done: a rejected chunk rejects the file (and
its parts are removed), a transaction_id seen in an earlier row moves the later rows to the
quarantine as `duplicate transaction_id`, and the quarantine parts become one object.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from aws_lambda_powertools import Logger, Tracer
from aws_lambda_powertools.utilities.typing import LambdaContext

from txnpipe import clients
from txnpipe.domain.chunks import cross_chunk_duplicates
from txnpipe.domain.rules import DUPLICATE_REASON
from txnpipe.errors import transient_errors
from txnpipe.file_validation import FileValidation
from txnpipe.function_environments import FileOutputEnvironment
from txnpipe.layout import processed_manifest_key, quarantine_key
from txnpipe.manifests import CHUNK_RESULTS, read_keys, read_map_results, write_keys

logger = Logger()
tracer = Tracer()
ENV = FileOutputEnvironment.from_environ()


@tracer.capture_lambda_handler
@logger.inject_lambda_context
@transient_errors
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    """Input: the file descriptor plus `chunk_results`, the ResultWriterDetails of ValidateChunks.

    Output: the file's `FileValidation`. The chunk results are read from the ResultWriter's files
    and the chunks' key manifests, so neither the input nor the output grows with the number of
    chunks or dates.
    """
    s3 = clients.client("s3")
    chunks = (FileValidation.from_state(r) for r in read_map_results(s3, event[CHUNK_RESULTS]))
    results = sorted(chunks, key=_chunk_index)
    keys = [k for r in results for k in read_keys(s3, ENV.work_bucket, r.processed_manifest_key)]
    rejected = next((r for r in results if r.status == "REJECTED"), None)
    merged = _merge(event, results, keys) if rejected is None else _reject(event, results, keys, rejected.reason)
    return merged.to_state()


def _chunk_index(result: FileValidation) -> int:
    if result.chunk is None:
        raise ValueError("a ValidateChunks result without its chunk")
    return int(result.chunk["index"])


def _merge(event: dict[str, Any], results: list[FileValidation], keys: list[str]) -> FileValidation:
    """The chunks' outputs as one file's: later rows repeating an id are quarantined, the parts become one."""
    processed, quarantine = ENV.processed_bucket, ENV.quarantine_bucket
    moved = _drop_cross_chunk_duplicates(processed, keys)
    lines = [line for r in results if r.quarantine_key for line in _read_lines(quarantine, r.quarantine_key)]
    lines += [json.dumps({"row": row, "reason": DUPLICATE_REASON, "raw": raw}) for row, raw in moved]
    quarantined = _write_quarantine(event, quarantine, lines, [r.quarantine_key for r in results])
    valid = sum(r.rows_valid for r in results) - len(moved)
    rejected_rows = sum(r.rows_rejected for r in results) + len(moved)
    manifest = write_keys(clients.client("s3"), ENV.work_bucket, processed_manifest_key(event["file_id"]), keys)
    return FileValidation(
        status="INVALID_ROWS" if rejected_rows else "VALID", rows_total=valid + rejected_rows, rows_valid=valid,
        rows_rejected=rejected_rows, reason=None, chunk=None, errors_sample=(), processed_bucket=processed,
        processed_manifest_key=manifest, processed_objects=len(keys), quarantine_bucket=quarantine,
        quarantine_key=quarantined,
    )


def _reject(event: dict[str, Any], results: list[FileValidation], keys: list[str], reason: str | None) -> FileValidation:
    """A rejected chunk rejects the file: every chunk's outputs are removed, the manifest lists nothing."""
    processed, quarantine = ENV.processed_bucket, ENV.quarantine_bucket
    _delete(processed, keys)
    _delete(quarantine, [r.quarantine_key for r in results if r.quarantine_key])
    manifest = write_keys(clients.client("s3"), ENV.work_bucket, processed_manifest_key(event["file_id"]), [])
    return FileValidation(
        status="REJECTED", rows_total=0, rows_valid=0, rows_rejected=0, reason=reason, chunk=None, errors_sample=(),
        processed_bucket=processed, processed_manifest_key=manifest, processed_objects=0,
        quarantine_bucket=quarantine, quarantine_key=None,
    )


def _drop_cross_chunk_duplicates(bucket: str, keys: list[str]) -> list[tuple[int, dict[str, Any]]]:
    """Remove rows whose id appeared in an earlier row; return (row, raw) of the removed rows."""
    s3 = clients.client("s3")
    with tempfile.TemporaryDirectory() as tmp:
        tables = {}
        for index, key in enumerate(keys):
            s3.download_file(bucket, key, str(Path(tmp) / f"{index}.parquet"))
            tables[key] = pq.read_table(Path(tmp) / f"{index}.parquet")
        pairs = ((row, tid) for t in tables.values() for row, tid in
                 zip(t.column("source_row").to_pylist(), t.column("transaction_id").to_pylist(), strict=True))
        later = pa.array(cross_chunk_duplicates(pairs), type=pa.int64())
        moved: list[tuple[int, dict[str, Any]]] = []
        for index, (key, table) in enumerate(tables.items()):
            repeated = pc.is_in(table.column("source_row"), value_set=later)
            if pc.any(repeated).as_py():
                moved += [(r["source_row"], r) for r in table.filter(repeated).to_pylist()]
                local = Path(tmp) / f"{index}.parquet"
                pq.write_table(table.filter(pc.invert(repeated)), local, compression="snappy")
                s3.upload_file(str(local), bucket, key)
    return [(row, {k: str(v) for k, v in raw.items() if v is not None}) for row, raw in moved]


def _read_lines(bucket: str, key: str) -> list[str]:
    body = clients.client("s3").get_object(Bucket=bucket, Key=key)["Body"].read().decode()
    return [line for line in body.splitlines() if line]


def _write_quarantine(event: dict[str, Any], bucket: str, lines: list[str], parts: list[str | None]) -> str | None:
    _delete(bucket, [p for p in parts if p])
    if not lines:
        return None
    lines.sort(key=lambda line: int(json.loads(line)["row"]))
    key = quarantine_key(partner_id=event["partner_id"], file_id=event["file_id"])
    clients.client("s3").put_object(Bucket=bucket, Key=key, Body=("\n".join(lines) + "\n").encode())
    return key


def _delete(bucket: str, keys: list[str]) -> None:
    for key in keys:
        clients.client("s3").delete_object(Bucket=bucket, Key=key)


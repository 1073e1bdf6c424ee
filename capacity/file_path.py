"""Monthly usage of the file path: upload -> state machine -> validate -> Parquet + DynamoDB load.

The state machine is walked for the scenario (capacity.transitions): its transitions and the
functions its Tasks invoke come from the synthesized definition; each function's memory from its
synthesized resource; durations and sizes from capacity/measurements.json.
"""

from __future__ import annotations

import math
from collections import Counter

from capacity.facts import Measurements
from capacity.load_plan import rows_in, rru_per_item, wru_per_item
from capacity.scenario import Scenario
from capacity.settings import LOAD_FUNCTION, VALIDATE_FUNCTION, load_settings, map_running, rates
from capacity.synthesized import Synthesized
from capacity.transitions import Trace, lambda_resource_id, walk
from capacity.usage import GB, Line, kms_lines, lambda_lines, log_lines, retention, s3_storage_line, stream_lines

MULTIPART_PART_MB = 8  # aws s3 cp / boto3 upload_file part size (README "Uploading a file")


def file_trace(synth: Synthesized, scenario: Scenario) -> tuple[Trace, int, int]:
    """(trace of one file's execution, chunks, Parquet parts) for the scenario's file size."""
    settings = load_settings(synth)
    chunked = scenario.mb_per_file * 1_000_000 > settings.large_file_bytes
    chunks = math.ceil(scenario.mb_per_file * 1_000_000 / settings.chunk_bytes) if chunked else 1
    parts = chunks * scenario.dates_per_file
    facts = {"$.duplicate": False, "$.large": chunked, "$.format": "csv", "$.validation.status": "VALID",
             "$.validation.rows_rejected": 1 if scenario.rejected_share > 0 else 0}
    items = {map_running(synth, VALIDATE_FUNCTION)[0]: chunks, map_running(synth, LOAD_FUNCTION)[0]: parts}
    return walk(synth.state_machine()["definition"], facts=facts, map_items=items), chunks, parts


def invocations(synth: Synthesized, trace: Trace) -> Counter[str]:
    """Function slug -> invocations per execution (Tasks that call Lambda directly)."""
    ids, counts = synth.function_ids(), Counter[str]()
    for resource, n in trace.tasks.items():
        rid = lambda_resource_id(resource)
        if rid is not None:
            counts[ids[rid]] += n
    return counts


def file_path_lines(synth: Synthesized, m: Measurements, scenario: Scenario) -> list[Line]:
    """Every usage line of the file path for one month of the scenario."""
    files = scenario.files_per_month
    if not files:
        return []
    trace, chunks, parts = file_trace(synth, scenario)
    rows = rows_in(scenario.mb_per_file, rates(m)) * files
    calls = invocations(synth, trace)
    lines = [Line(service="Step Functions", what="state transitions", price="states.standard_transition",
                  quantity=trace.transitions * files)]
    for slug, n in sorted(calls.items()):
        seconds = _seconds(slug, synth, m, scenario, chunks=chunks, parts=parts)
        lines += lambda_lines(synth.function(slug), invocations=n * files, seconds_each=seconds)
        lines += log_lines(slug, bytes_per_month=n * files * m["lambda_log_bytes_per_invocation"],
                           retention_days=retention(synth, "/aws/lambda/", slug))
    lines += log_lines("state machine", bytes_per_month=trace.transitions * files * m["sfn_log_bytes_per_transition"],
                       retention_days=retention(synth, "/aws/vendedlogs/states/", "files"))
    return lines + _storage_lines(synth, m, scenario, rows=rows, calls=calls, chunks=chunks, parts=parts) \
        + stream_lines(synth, m, records=rows)


def _seconds(slug: str, synth: Synthesized, m: Measurements, scenario: Scenario, *, chunks: int, parts: int) -> float:
    """Billed seconds of one invocation of `slug` for this file."""
    mb = scenario.mb_per_file
    if slug == VALIDATE_FUNCTION:
        return mb / chunks * m["validate_s_per_mb"]
    if slug == "plan-chunks":
        return mb * m["plan_chunks_s_per_mb"]
    if slug == "merge-chunks":
        return mb * m["merge_chunks_s_per_mb"]
    if slug == LOAD_FUNCTION:
        writers = load_settings(synth).writers
        return rows_in(mb, rates(m)) / parts / (writers * m["writer_items_per_s"])
    return m["task_ms"] / 1000


def _storage_lines(synth: Synthesized, m: Measurements, scenario: Scenario, *, rows: float, calls: Counter[str],
                   chunks: int, parts: int) -> list[Line]:
    files, mb = scenario.files_per_month, scenario.mb_per_file
    files_table = synth.table("files")
    _, wru = wru_per_item(m["item_bytes"], len(synth.table("transactions").indexes), transactional=True)
    status_writes = (calls["register-file"] + calls["file-status"]) * (1 + len(files_table.indexes) + 1)  # + audit
    upload_puts = 1 if mb <= MULTIPART_PART_MB else math.ceil(mb / MULTIPART_PART_MB) + 2
    item_gb = rows * m["item_bytes"] * (1 + len(synth.table("transactions").indexes)) / GB
    csv_gb = files * mb * 1_000_000 / GB
    puts, gets = files * (upload_puts + parts + 1 + 4), files * (chunks + parts + 2)
    return [
        Line(service="DynamoDB", what="transaction writes (table + GSIs)", price="dynamodb.write_request_unit",
             quantity=rows * wru),
        Line(service="DynamoDB", what="look-ups of each row's key before it is stored", price="dynamodb.read_request_unit",
             quantity=rows * rru_per_item(m["item_bytes"])),
        Line(service="DynamoDB", what="file status + audit writes", price="dynamodb.write_request_unit",
             quantity=files * (status_writes + calls["summarize-quarantine"])),
        Line(service="DynamoDB", what="storage of a month's items (table + GSI)", price="dynamodb.storage_gb_month",
             quantity=item_gb),
        Line(service="DynamoDB", what="PITR of a month's items", price="dynamodb.pitr_gb_month", quantity=item_gb),
        Line(service="S3", what="PUTs (upload parts, Parquet, quarantine, manifests, map results)",
             price="s3.put_request", quantity=puts),
        Line(service="S3", what="GETs (validate, load, item readers)", price="s3.get_request", quantity=gets),
        s3_storage_line(synth, "a month's raw CSV + Parquet", gb=csv_gb * (1 + m["parquet_to_csv"])),
        *kms_lines(synth, s3_requests=puts + gets),
        Line(service="EventBridge", what="FileProcessed events", price="events.custom_event", quantity=files),
    ]

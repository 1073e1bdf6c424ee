"""`make load`, file phase: a mixed batch of partner files uploaded at once, each to a terminal status, one
event delivered again, and per file what the transactions table holds for it."""

from __future__ import annotations

import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import boto3

from bench.load_figures import FileRows
from localcloud.scenario import HEADER, UNREADABLE, FileOutcome, Pipeline, clean_csv, csv_rows, csv_with_bad_rows, json_file
from stacks.config import load_config

COUNTS = ("rows_total", "rows_valid", "rows_rejected", "rows_stored", "rows_replayed", "rows_conflicting")

SMALL_KINDS = ("clean CSV", "CSV with bad rows", "JSON", "unreadable", "no header")
# A byte-identical copy of the first clean CSV under another key, sent at the same moment: the two race on
# every id, and between them each row is stored once and replayed once (first value wins).
RESENT = "resent CSV"
KINDS = (*SMALL_KINDS, RESENT, "large CSV")


def _renamed(body: bytes, prefix: str, ident: str) -> bytes:
    """A scenario file with its transaction ids made unique to this run and file (ids are per partner)."""
    return body.replace(prefix.encode(), ident.encode())


def large_csv(ident: str) -> bytes:
    """A clean CSV just above `local`'s large_file_bytes: it takes the Distributed Map path."""
    limit = load_config({"WORKSPACE": "local"}).large_file_bytes
    rows = csv_rows(ident, 1 + limit // 60)  # rows are ~70 bytes
    body = ("\n".join([HEADER, *rows]) + "\n").encode()
    if len(body) <= limit:
        raise RuntimeError(f"large CSV is {len(body)} B, not above large_file_bytes {limit}")
    return body


def _body(kind: str, ident: str) -> bytes:
    """One file of `kind`, its ids carrying `ident`."""
    if kind == "clean CSV":
        return _renamed(clean_csv(), "clean-", f"{ident}-")
    if kind == "CSV with bad rows":
        return _renamed(csv_with_bad_rows(), "mixed-", f"{ident}-")
    if kind == "JSON":
        return _renamed(json_file(), '"json-', f'"{ident}-')
    if kind == "unreadable":
        return UNREADABLE + ident.encode()  # distinct bytes per file: not one content seen six times
    if kind == "no header":
        return ("\n".join(csv_rows(ident, 5)) + "\n").encode()
    raise ValueError(f"unknown file kind {kind!r}: one of {SMALL_KINDS}")


def batch(tag: str, *, files: int, partner: str) -> list[tuple[str, str, bytes]]:
    """(kind, key, body) for `files` uploads cycling through the small kinds, a resend of the first, and the large file."""
    out = []
    for n in range(files):
        kind, ident = SMALL_KINDS[n % len(SMALL_KINDS)], f"{tag}-f{n:02d}"
        out.append((kind, f"uploads/{partner}/load-{ident}.{'json' if kind == 'JSON' else 'csv'}", _body(kind, ident)))
    out.append((RESENT, f"uploads/{partner}/load-{tag}-resent.csv", out[0][2]))
    out.append(("large CSV", f"uploads/{partner}/load-{tag}-large.csv", large_csv(f"{tag}-large")))
    return out


def resent_pair(rows: list[FileRows], kinds: list[str]) -> tuple[str, list[str]]:
    """The first clean CSV and its resend: a line of what they stored and replayed between them, and problems."""
    pair = [r for r, kind in zip(rows, kinds, strict=True) if kind == RESENT] + [
        next(r for r, kind in zip(rows, kinds, strict=True) if kind == SMALL_KINDS[0])]
    stored, replayed = sum(r.rows_stored for r in pair), sum(r.rows_replayed for r in pair)
    want = pair[1].rows_valid
    line = f"  resent CSV ({pair[0].key}): with the original, {stored} stored + {replayed} replayed (want {want} + {want})"
    return line, [] if (stored, replayed) == (want, want) else [line.strip()]


def upload_all(pipeline: Pipeline, uploads: list[tuple[str, str, bytes]], *, timeout_s: float) -> list[FileOutcome]:
    """Every upload from its own thread at once; each outcome waited for to a terminal status."""
    def one(upload: tuple[str, str, bytes]) -> FileOutcome:
        kind, key, body = upload
        return pipeline.wait_terminal(FileOutcome(kind, key), pipeline.upload(key, body), timeout_s=timeout_s)

    with ThreadPoolExecutor(max_workers=len(uploads)) as pool:
        return list(pool.map(one, uploads))


def redeliver(pipeline: Pipeline, outcome: FileOutcome, *, timeout_s: float = 180) -> str:
    """The file's upload event again (EventBridge delivers at least once): the replay's status and file records."""
    execution = pipeline.redeliver(outcome.key)
    if execution is None:
        return "no execution input found to replay"
    sfn, deadline = boto3.client("stepfunctions"), time.time() + timeout_s
    while time.time() < deadline and sfn.describe_execution(executionArn=execution)["status"] == "RUNNING":
        time.sleep(0.5)
    records = pipeline.file_items(outcome.key)
    return f"replay execution {sfn.describe_execution(executionArn=execution)['status']}, {len(records)} file record(s)"


def file_rows(outcomes: list[FileOutcome], items: list[dict[str, Any]]) -> list[FileRows]:
    """Per file: its terminal counters and the transactions stored with its file_id."""
    stored = Counter(str(i["file_id"]) for i in items if "file_id" in i)
    def count(item: dict[str, Any], name: str) -> int:
        return int(item.get(name, 0))

    return [FileRows(key=o.key, status=o.status, **{name: count(o.item, name) for name in COUNTS},
                     stored=stored[str(o.item.get("file_id"))]) for o in outcomes]


def took_distributed_map(pipeline: Pipeline, key: str) -> bool:
    """True when the first execution for `key` ran a Distributed Map (a MapRunStarted event in its history)."""
    sfn = boto3.client("stepfunctions")
    for execution in pipeline.executions():
        if key in (sfn.describe_execution(executionArn=execution["executionArn"]).get("input") or ""):
            pages = sfn.get_paginator("get_execution_history").paginate(executionArn=execution["executionArn"])
            return any(e["type"] == "MapRunStarted" for page in pages for e in page["events"])
    return False

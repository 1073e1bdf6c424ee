"""`make load`, API phase: partners x concurrent clients on POST /transactions, two idempotency races, and
what the pipeline holds afterwards (table items, raw archive objects, TransactionIngested events)."""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import boto3
from boto3.dynamodb.conditions import Attr

from bench.load_figures import ApiLedger, race_counts
from localcloud.scenario import Pipeline, transaction
from txnpipe.layout import API_ARCHIVE_PREFIX

INGESTED = "TransactionIngested"


@dataclass
class ApiRun:
    """Every response of the phase: (status, seconds) per request, the accepted ids, the races."""

    calls: list[tuple[int, float]] = field(default_factory=list)
    accepted: dict[str, int] = field(default_factory=dict)  # transaction id -> 2xx responses
    seconds: float = 0.0
    race_same: Counter[int] = field(default_factory=Counter)
    race_diff: Counter[int] = field(default_factory=Counter)
    race_diff_winner: dict[str, Any] | None = None  # the body answered 201
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, tid: str, status: int, seconds: float) -> None:
        with self.lock:
            self.calls.append((status, seconds))
            if status in (200, 201):
                self.accepted[tid] = self.accepted.get(tid, 0) + 1


def _post(pipeline: Pipeline, run: ApiRun, key: str, body: dict[str, str]) -> int:
    started = time.perf_counter()
    status, _ = pipeline.call("POST", "/transactions", body, key=key)
    run.record(body["transaction_id"], status, time.perf_counter() - started)
    return status


def load(pipeline: Pipeline, run: ApiRun, tag: str, *, clients: int, requests: int) -> None:
    """Per partner key, `clients` threads share `requests` new transactions (all valid, distinct ids)."""
    jobs = [(key, transaction(f"{tag}-k{k}-{n:05d}", amount=f"{1 + n % 900}.{n % 100:02d}"))
            for k, key in enumerate(sorted(pipeline.api_keys.values())) for n in range(requests)]
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients * len(pipeline.api_keys)) as pool:
        list(pool.map(lambda job: _post(pipeline, run, *job), jobs))
    run.seconds = time.perf_counter() - started


def _race(pipeline: Pipeline, run: ApiRun, key: str, bodies: list[dict[str, str]]) -> list[int]:
    """Every body POSTed at the same instant (a barrier), one thread each; the statuses in body order."""
    barrier = threading.Barrier(len(bodies))

    def go(body: dict[str, str]) -> int:
        barrier.wait()
        return _post(pipeline, run, key, body)

    with ThreadPoolExecutor(max_workers=len(bodies)) as pool:
        return list(pool.map(go, bodies))


def races(pipeline: Pipeline, run: ApiRun, tag: str, *, same: int = 16, diff: int = 8) -> None:
    """Same id + same body from `same` threads; same id + `diff` different bodies from `diff` threads."""
    key = sorted(pipeline.api_keys.values())[0]
    run.race_same = race_counts(_race(pipeline, run, key, [transaction(f"{tag}-race-same")] * same))
    bodies = [transaction(f"{tag}-race-diff", amount=f"{i + 1}.00") for i in range(diff)]
    statuses = _race(pipeline, run, key, bodies)
    run.race_diff = race_counts(statuses)
    winners = [body for body, status in zip(bodies, statuses, strict=True) if status == 201]
    run.race_diff_winner = winners[0] if len(winners) == 1 else None


# -- what the pipeline holds ------------------------------------------------------------------
def run_items(pipeline: Pipeline, tag: str) -> list[dict[str, Any]]:
    """Every item of the transactions table whose transaction id carries the run's tag."""
    return pipeline.items("transactions", Attr("transaction_id").contains(tag))


def archive_count(pipeline: Pipeline, tag: str) -> int:
    """Objects under the raw bucket's API archive prefix for the run's ids."""
    pages = boto3.client("s3").get_paginator("list_objects_v2").paginate(Bucket=pipeline.buckets["raw"],
                                                                        Prefix=f"{API_ARCHIVE_PREFIX}/")
    return sum(1 for page in pages for obj in page.get("Contents", []) if f"/{tag}-" in obj["Key"])


def ledger(pipeline: Pipeline, run: ApiRun, tag: str, events: list[dict[str, Any]] | None) -> ApiLedger:
    """The API phase's reconciliation inputs (items, archive objects, events) for the run's ids."""
    api_items = [i for i in run_items(pipeline, tag) if "file_id" not in i]
    run_events = None if events is None else [e for e in events if tag in str(e.get("detail", {}).get("transaction_id"))]
    return ApiLedger(accepted_ids=frozenset(run.accepted), accepted_requests=sum(run.accepted.values()),
                     stored_ids=frozenset(str(i["transaction_id"]) for i in api_items),
                     archive_objects=archive_count(pipeline, tag),
                     events=None if run_events is None else len(run_events),
                     event_ids=frozenset(str(e["detail"]["transaction_id"]) for e in run_events or []))


def stored_race_body(pipeline: Pipeline, tag: str) -> str | None:
    """The amount stored for the different-bodies race's id (the winner's, if idempotency holds)."""
    items = [i for i in run_items(pipeline, f"{tag}-race-diff")]
    return str(items[0]["amount"]) if len(items) == 1 else None


class IngestedTap:
    """A test observer (not part of the stacks): a rule on the pipeline's bus sending TransactionIngested to a queue.

    Removed again by `close()`, so the stacks' destroy finds the bus as terraform left it.
    """

    def __init__(self, tag: str) -> None:
        self.events, self.sqs = boto3.client("events"), boto3.client("sqs")
        buses = [b["Name"] for b in self.events.list_event_buses()["EventBuses"] if b["Name"].startswith("txnpipe-")]
        if not buses:
            raise RuntimeError("no txnpipe-* event bus deployed (is the storage stack applied?)")
        self.bus, self.rule = buses[0], f"localcloud-load-{tag}"
        self.url = self.sqs.create_queue(QueueName=self.rule)["QueueUrl"]
        arn = self.sqs.get_queue_attributes(QueueUrl=self.url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        self.events.put_rule(Name=self.rule, EventBusName=self.bus, EventPattern=json.dumps({"detail-type": [INGESTED]}))
        self.events.put_targets(Rule=self.rule, EventBusName=self.bus, Targets=[{"Id": "queue", "Arn": arn}])

    def drain(self) -> list[dict[str, Any]]:
        return Pipeline.drain(self.url, wait_s=3)

    def close(self) -> None:
        self.events.remove_targets(Rule=self.rule, EventBusName=self.bus, Ids=["queue"])
        self.events.delete_rule(Name=self.rule, EventBusName=self.bus)
        self.sqs.delete_queue(QueueUrl=self.url)

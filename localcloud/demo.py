"""`make demo`: emulator up -> deploy `local` -> push data -> summary -> destroy (exit 0 when all of it worked)."""

from __future__ import annotations

import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from localcloud.deploy import ROOT, DeployError, Deployment
from localcloud.emulator import Emulator, port_in_use
from localcloud.scenario import (
    UNREADABLE,
    FileOutcome,
    Pipeline,
    clean_csv,
    csv_with_bad_rows,
    fire_schedules,
    json_file,
    transaction,
)

DEMO_DIR = ROOT / "build" / "localcloud" / "demo"


def fresh_local_deployment(emulator: Emulator, *, outdir: Path = DEMO_DIR / "cdktf.out", source: Path = ROOT,
                           log_dir: Path = DEMO_DIR / "terraform-logs") -> Deployment:
    """Synthesize `local` against `emulator` and forget state left from an earlier emulator (it starts empty)."""
    deployment = Deployment(workspace="local", outdir=outdir, source=source, extra_env={"AWS_ENDPOINT_URL": emulator.endpoint},
                            log_dir=log_dir)
    deployment.synth()
    shutil.rmtree(deployment.state_dir(), ignore_errors=True)
    return deployment


@dataclass
class Report:
    """What the demo saw, printed as a few small tables."""

    files: list[FileOutcome] = field(default_factory=list)
    api: list[tuple[str, int, str]] = field(default_factory=list)
    alerts: list[str] = field(default_factory=list)
    dlqs: dict[str, int] = field(default_factory=dict)
    deploy: list[tuple[str, float]] = field(default_factory=list)
    destroy: list[tuple[str, float]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def push_files(pipeline: Pipeline, report: Report, *, partner: str = "acme") -> None:
    """Upload the demo files and wait for every one to reach a terminal status."""
    if "raw" not in pipeline.buckets or "files" not in pipeline.tables:
        report.notes.append("files: skipped (no raw bucket or files table deployed)")
        return
    if pipeline.state_machine_arn is None:
        report.notes.append("files: skipped (no state machine deployed yet)")
        return
    stamp = time.strftime("%H%M%S")
    uploads = [
        ("clean CSV", f"uploads/{partner}/clean-{stamp}.csv", clean_csv()),
        ("CSV with bad rows", f"uploads/{partner}/mixed-{stamp}.csv", csv_with_bad_rows()),
        ("JSON file", f"uploads/{partner}/batch-{stamp}.json", json_file()),
        ("unreadable file", f"uploads/{partner}/garbage-{stamp}.csv", UNREADABLE),
    ]
    started = {}
    for label, key, body in uploads:
        started[key] = pipeline.upload(key, body)
        report.files.append(FileOutcome(label, key))
    ignored_key = f"uploads/{partner}/notes-{stamp}.txt"
    pipeline.upload(ignored_key, b"not a transaction file")
    for outcome in report.files:
        pipeline.wait_terminal(outcome, started[outcome.key])
    # EventBridge delivers at least once: the same upload event again must not make a second file.
    duplicate = FileOutcome("duplicate event (clean CSV)", uploads[0][1])
    execution = pipeline.redeliver(uploads[0][1])
    if execution:
        import boto3

        sfn = boto3.client("stepfunctions")
        deadline = time.time() + 120
        while time.time() < deadline and sfn.describe_execution(executionArn=execution)["status"] == "RUNNING":
            time.sleep(0.5)
        items = pipeline.file_items(uploads[0][1])
        duplicate.status = str(items[0]["status"]) if items else "-"
        replay = sfn.describe_execution(executionArn=execution)["status"]
        duplicate.note = f"{len(items)} file record(s); replay execution {replay}"
    else:
        duplicate.note = "no execution input found to replay"
    report.files.append(duplicate)
    txt = FileOutcome(".txt upload", ignored_key)
    executions_for_txt = [e for e in pipeline.executions() if "notes-" in e.get("name", "")]
    txt.status = "ignored" if not pipeline.file_items(ignored_key) and not executions_for_txt else "PROCESSED?!"
    txt.note = "no file record, no execution"
    report.files.append(txt)


def call_api(pipeline: Pipeline, report: Report) -> None:
    """Single transactions through the REST API: good, bad, retried, conflicting, anomalous."""
    if pipeline.api_url is None or not pipeline.api_keys:
        report.notes.append("API: skipped (no REST API stage or API keys deployed)")
        return
    key = next((v for k, v in sorted(pipeline.api_keys.items()) if "acme" in k), next(iter(pipeline.api_keys.values())))
    tid = f"api-{time.strftime('%H%M%S')}"
    good = transaction(f"{tid}-1")
    cases: list[tuple[str, str, str, Any, dict[str, str]]] = [
        ("good transaction", "POST", "/transactions", good, {}),
        ("retried (same body)", "POST", "/transactions", good, {}),
        ("same id, other body", "POST", "/transactions", {**good, "amount": "99.99"}, {}),
        ("bad transaction", "POST", "/transactions", transaction(f"{tid}-2", amount="-3"), {}),
        ("anomalous (large amount)", "POST", "/transactions", transaction(f"{tid}-3", amount="250000.00"), {}),
        ("read it back", "GET", f"/transactions/{tid}-1", None, {}),
        ("no API key", "POST", "/transactions", good, {"x-api-key": ""}),
    ]
    for label, method, path, body, headers in cases:
        status, answer = pipeline.call(method, path, body, key=None if headers.get("x-api-key") == "" else key)
        text = answer if isinstance(answer, str) else (answer or {}).get("message") or (answer or {}).get("status") or ""
        if isinstance(answer, dict) and answer.get("reasons"):
            text = "; ".join(map(str, answer["reasons"]))[:60]
        report.api.append((label, status, str(text)[:60]))


def print_report(report: Report, out: Any = sys.stdout) -> None:
    def table(title: str, head: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
        print(f"\n{title}", file=out)
        widths = [max(len(str(x)) for x in col) for col in zip(head, *rows, strict=False)]
        print("  " + "  ".join(str(h).ljust(w) for h, w in zip(head, widths, strict=False)), file=out)
        for row in rows:
            print("  " + "  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=False)), file=out)

    def count(item: dict[str, Any], name: str) -> str:
        return str(item[name]) if name in item else "-"

    if report.deploy:
        table("Deploy (terraform apply per stack)", ("stack", "seconds"), [(s, f"{t:.0f}") for s, t in report.deploy])
    if report.files:
        table("Files", ("file", "status", "rows", "valid", "rejected", "seconds", "note"), [
            (f.label, f.status, count(f.item, "rows_total"), count(f.item, "rows_valid"), count(f.item, "rows_rejected"),
             f"{f.seconds:.1f}" if f.seconds is not None else "-", (f.note or short_reason(str(f.item.get("reason", ""))))[:90])
            for f in report.files])
    if report.api:
        table("API", ("request", "HTTP", "answer"), report.api)
    table("Alerts delivered to the test subscription", ("#", "alert"),
          [(i + 1, a[:120]) for i, a in enumerate(report.alerts)] or [("-", "none")])
    if report.dlqs:
        table("Dead-letter queues", ("queue", "messages"), sorted(report.dlqs.items()))
    if report.destroy:
        table("Destroy (terraform destroy per stack)", ("stack", "seconds"), [(s, f"{t:.0f}") for s, t in report.destroy])
    for note in report.notes:
        print(f"\nnote: {note}", file=out)
    failed = [f.label for f in report.files if f.status == "FAILED"]
    if failed:
        print(f"\nWARNING: the pipeline FAILED on: {', '.join(failed)} (see the reasons above and the worker logs "
              "under build/localcloud/demo/logs/)", file=out)


def short_reason(text: str) -> str:
    """The readable part of a recorded reason (Lambda error payloads carry an errorMessage)."""
    import json as _json

    start = text.find("{")
    if start >= 0:
        try:
            payload = _json.loads(text[start:])
            return f"{text[:start].strip()} {payload.get('errorMessage', '')}".strip()
        except ValueError:
            pass
    return text


def _alert_text(message: dict[str, Any]) -> str:
    if "file_id" in message:
        reason = short_reason(str(message.get("reason") or message.get("error") or ""))
        return f"file {message.get('key', message['file_id'])}: {message.get('status', 'FAILED')} {reason}"[:120]
    for key in ("summary", "AlarmName", "subject", "rule", "message", "detail-type"):
        if key in message:
            return f"{key}={message[key]}"
    return str(message)[:90]


def run_demo(port: int) -> int:
    if port_in_use(port):
        print(f"port {port} is busy; the demo uses a free port instead", file=sys.stderr)
        port = 0
    report = Report()
    emulator = Emulator(port=port, work_dir=DEMO_DIR).start()
    import os

    os.environ.update(emulator.client_env())
    print(f"emulator: {emulator.endpoint}", file=sys.stderr)
    deployment = fresh_local_deployment(emulator)
    ok = False
    try:
        deployment.apply()
        report.deploy = [(r.stack, r.seconds) for r in deployment.results if r.action == "apply"]
        pipeline = Pipeline.discover(emulator.endpoint, emulator.region)
        alerts_url = pipeline.subscribe_alerts()
        push_files(pipeline, report)
        call_api(pipeline, report)
        for name, outcome in fire_schedules():
            report.notes.append(f"schedule {name} fired by hand (Scheduler does not fire in the emulator): {outcome}")
        if alerts_url:
            time.sleep(3)  # stream poller + anomaly detector
            report.alerts = [_alert_text(m) for m in pipeline.drain(alerts_url, wait_s=3)]
        else:
            report.notes.append("alerts: no alert topic deployed")
        report.dlqs = pipeline.dlq_depths()
        ok = all(f.status not in ("-", "PROCESSED?!") and not f.note.startswith("no terminal") for f in report.files)
    except DeployError as error:
        print(f"deploy failed: {error}", file=sys.stderr)
    finally:
        started = len(deployment.results)
        try:
            deployment.destroy()
        except DeployError as error:
            print(f"destroy failed: {error}", file=sys.stderr)
            ok = False
        report.destroy = [(r.stack, r.seconds) for r in deployment.results[started:]]
        emulator.stop()
    print_report(report)
    return 0 if ok else 1

"""`make demo`: emulator up -> deploy `local` -> push data -> summary -> destroy (exit 0 when all of it worked)."""

from __future__ import annotations

import os
import shutil
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from localcloud import clock, diagnostics
from localcloud.demo_report import Report, alert_text, print_report
from localcloud.deploy import ROOT, DeployError, Deployment
from localcloud.emulator import Emulator, port_in_use
from localcloud.observed import (
    FIRST_EVALUATION,
    alarm_changes,
    notable,
    page_kinds,
    wait_for_scheduled_runs,
)
from localcloud.scenario import (
    UNREADABLE,
    FileOutcome,
    Pipeline,
    clean_csv,
    csv_with_bad_rows,
    json_file,
    transaction,
)

DEMO_DIR = ROOT / "build" / "localcloud" / "demo"
DASHBOARD_HTML = DEMO_DIR / "dashboard.html"
# Emulated seconds per real second unless LOCALCLOUD_TIME_SCALE says otherwise: the five-minute schedules
# fire every 10 s and the alarms' one-minute periods last 2 s, so both are seen working in one run.
DEMO_TIME_SCALE = 30


def fresh_local_deployment(emulator: Emulator, *, outdir: Path = DEMO_DIR / "cdktf.out", source: Path = ROOT,
                           log_dir: Path = DEMO_DIR / "terraform-logs") -> Deployment:
    """Synthesize `local` against `emulator` and forget state left from an earlier emulator (it starts empty)."""
    deployment = Deployment(workspace="local", outdir=outdir, source=source, extra_env={"AWS_ENDPOINT_URL": emulator.endpoint},
                            log_dir=log_dir)
    deployment.synth()
    shutil.rmtree(deployment.state_dir(), ignore_errors=True)
    return deployment


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


def observe_alarms(pipeline: Pipeline, report: Report, alerts_url: str | None, since: datetime) -> None:
    """The alarms' state changes since `since` and every notification the test subscription received."""
    if alerts_url is None:
        report.notes.append("alerts: no alert topic deployed")
        return
    time.sleep(3)  # stream poller + anomaly detector; a couple of alarm evaluations
    messages = pipeline.drain(alerts_url, wait_s=3)
    report.pages = dict(page_kinds(messages))
    report.alerts = [alert_text(m) for m in messages
                     if (m.get("OldStateValue"), m.get("NewStateValue")) != FIRST_EVALUATION]  # counted in pages
    report.alarm_changes, report.first_evaluations = notable(alarm_changes(since))


def render_dashboard() -> str:
    """Render the workspace's dashboard from the run's metrics into `DASHBOARD_HTML`; a line saying what it shows."""
    import boto3

    from localcloud.dashboard import render
    from stacks.naming import Namer
    from stacks.observability.dashboard_name import dashboard_name

    rendered = render(boto3.client("cloudwatch"), dashboard_name(Namer(workspace="local")))
    DASHBOARD_HTML.parent.mkdir(parents=True, exist_ok=True)
    DASHBOARD_HTML.write_text(rendered.html, encoding="utf-8")
    with_data = sum(1 for w in rendered.widgets if any(s.datapoints for s in w.series))
    return f"{DASHBOARD_HTML.relative_to(ROOT)} ({with_data} of {len(rendered.widgets)} widgets with data)"


def run_demo(port: int) -> int:
    if port_in_use(port):
        print(f"port {port} is busy; the demo uses a free port instead", file=sys.stderr)
        port = 0
    report = Report()
    os.environ.setdefault(clock.SCALE_VARIABLE, str(DEMO_TIME_SCALE))
    emulator = Emulator(port=port, work_dir=DEMO_DIR).start()
    os.environ.update(emulator.client_env())
    print(f"emulator: {emulator.endpoint}", file=sys.stderr)
    deployment = fresh_local_deployment(emulator)
    ok = False
    deployed_at = datetime.now(UTC)
    try:
        deployment.apply()
        report.deploy = [(r.stack, r.seconds) for r in deployment.results if r.action == "apply"]
        pipeline = Pipeline.discover(emulator.endpoint, emulator.region)
        alerts_url = pipeline.subscribe_alerts()
        push_files(pipeline, report)
        call_api(pipeline, report)
        report.schedules = wait_for_scheduled_runs(deployed_at)
        observe_alarms(pipeline, report, alerts_url, deployed_at)
        report.dashboard = render_dashboard()
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
    faults = diagnostics.recorded()
    if faults:  # a bug of the emulator, not of the pipeline: the run proves nothing until it is fixed
        report.notes.append(f"the emulator recorded {len(faults)} fault(s) of its own (first: {faults[0]}); "
                            f"tracebacks in {(DEMO_DIR / 'logs' / 'faults.log').relative_to(ROOT)}")
    print_report(report)
    return 0 if ok and not faults else 1

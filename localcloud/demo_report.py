"""What `make demo` saw, printed as a few small tables (the run itself is `localcloud.demo`)."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from typing import Any

from localcloud.observed import AlarmChange, ScheduledRun
from localcloud.scenario import FileOutcome


@dataclass
class Report:
    """What the demo saw, printed as a few small tables."""

    files: list[FileOutcome] = field(default_factory=list)
    api: list[tuple[str, int, str]] = field(default_factory=list)
    alerts: list[str] = field(default_factory=list)
    pages: dict[str, int] = field(default_factory=dict)
    schedules: list[ScheduledRun] = field(default_factory=list)
    alarm_changes: list[AlarmChange] = field(default_factory=list)
    first_evaluations: int = 0
    dashboard: str = ""
    dlqs: dict[str, int] = field(default_factory=dict)
    deploy: list[tuple[str, float]] = field(default_factory=list)
    destroy: list[tuple[str, float]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


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
    if report.schedules:
        table("Schedules (fired by EventBridge Scheduler)", ("schedule", "target", "runs"),
              [(r.schedule, r.target, r.invocations) for r in report.schedules])
    table("Alarms that changed state", ("time", "alarm", "from", "to"),
          [(c.at.strftime("%H:%M:%S"), c.alarm, c.old, c.new) for c in report.alarm_changes] or [("-", "none", "", "")])
    if report.first_evaluations:
        print(f"  (and {report.first_evaluations} alarms went INSUFFICIENT_DATA -> OK on their first evaluation)", file=out)
    table("Notifications delivered to the test subscription", ("#", "notification"),
          [(i + 1, a[:120]) for i, a in enumerate(report.alerts)] or [("-", "none")])
    if report.pages:
        print("  by kind: " + ", ".join(f"{kind} {n}" for kind, n in sorted(report.pages.items())), file=out)
    if report.dlqs:
        table("Dead-letter queues", ("queue", "messages"), sorted(report.dlqs.items()))
    if report.dashboard:
        print(f"\nDashboard: {report.dashboard}", file=out)
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
    start = text.find("{")
    if start >= 0:
        try:
            payload = json.loads(text[start:])
            return f"{text[:start].strip()} {payload.get('errorMessage', '')}".strip()
        except ValueError:
            pass
    return text


def alert_text(message: dict[str, Any]) -> str:
    if "AlarmName" in message and "NewStateValue" in message:
        return f"{message['NewStateValue']}: {message['AlarmName']} (was {message.get('OldStateValue', '?')})"
    if "file_id" in message:
        reason = short_reason(str(message.get("reason") or message.get("error") or ""))
        return f"file {message.get('key', message['file_id'])}: {message.get('status', 'FAILED')} {reason}"[:120]
    for key in ("summary", "AlarmName", "subject", "rule", "message", "detail-type"):
        if key in message:
            return f"{key}={message[key]}"
    return str(message)[:90]

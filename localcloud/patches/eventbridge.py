"""Addition: EventBridge delivers to every target type the pipeline uses, as AWS does.

moto 5.2.5 raises NotImplementedError for Step Functions and Lambda targets (and stops
delivering to later rules), sends S3 "Object Created" events to every bus instead of only the
default bus, skips InputTransformer for S3 events, puts the event time out as a number, and
ignores a rule's state. The emulator's `Rule.send_to_targets`:

* delivers only when the rule is ENABLED and its pattern matches (moto's EventPattern);
* shapes each target's input from Input / InputPath / InputTransformer, else the whole event,
  with `time` as an ISO-8601 string;
* Step Functions targets start an execution (Standard workflows run in the background);
  Lambda targets invoke asynchronously; SQS, SNS, CloudWatch Logs and event-bus targets
  deliver as moto does;
* a failed delivery goes to the target's DeadLetterConfig queue with the ERROR_CODE,
  ERROR_MESSAGE, RULE_ARN and TARGET_ARN message attributes EventBridge sets; no retry policy
  (AWS retries with backoff for up to 24 h before dead-lettering). A delivery that fails with
  anything but an AWS error (`localcloud.diagnostics.is_aws_error`) is also recorded as a fault
  of the emulator; a dead-letter queue that cannot take the event drops it, as EventBridge does.

S3 → EventBridge notifications go to the account's default bus only. Faults (an event delivered
twice, a failing target) are injected by `localcloud.patches.eventbridge_faults`.
"""

from __future__ import annotations

import copy
import json
import uuid
from datetime import UTC, datetime
from typing import Any

from localcloud import arns, diagnostics
from localcloud.patches import eventbridge_faults


def _iso_time(event: dict[str, Any]) -> dict[str, Any]:
    event = copy.deepcopy(event)
    if isinstance(event.get("time"), (int, float)):
        event["time"] = datetime.fromtimestamp(float(event["time"]), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return event


def render_template(template: str, values: dict[str, Any]) -> str:
    """InputTransformer substitution as EventBridge does it: JSON-encoded outside strings, raw inside them."""
    out: list[str] = []
    in_string, i = False, 0
    while i < len(template):
        char = template[i]
        if char == "\\" and in_string:
            out.append(template[i:i + 2])
            i += 2
            continue
        if char == '"':
            in_string = not in_string
        if char == "<":
            close = template.find(">", i)
            name = template[i + 1:close] if close > 0 else ""
            if name in values:
                value = values[name]
                if in_string:
                    text = value if isinstance(value, str) else json.dumps(value)
                    out.append(json.dumps(text)[1:-1])
                else:
                    out.append(json.dumps(value))
                i = close + 1
                continue
        out.append(char)
        i += 1
    return "".join(out)


def target_input(target: dict[str, Any], event: dict[str, Any], rule_arn: str = "") -> str:
    """The JSON text a target receives for `event`."""
    if target.get("Input") is not None:
        return str(target["Input"])
    from jsonpath_ng.ext import parse

    if target.get("InputPath"):
        matches = parse(target["InputPath"]).find(event)
        return json.dumps(matches[0].value if matches else None)
    transformer = target.get("InputTransformer")
    if transformer:
        values: dict[str, Any] = {}
        for name, path in (transformer.get("InputPathsMap") or {}).items():
            matches = parse(path).find(event)
            values[name] = matches[0].value if matches else None
        values.update({"aws.events.event.json": event, "aws.events.event": event, "aws.events.rule-arn": rule_arn,
                       "aws.events.rule-name": rule_arn.rsplit("/", 1)[-1], "aws.events.event.ingestion-time": event.get("time")})
        return render_template(transformer.get("InputTemplate") or "<aws.events.event.json>", values)
    return json.dumps(event)


def _deliver(rule: Any, target: dict[str, Any], event: dict[str, Any]) -> None:
    arn = target["Arn"]
    eventbridge_faults.before_delivery(arn)
    parsed = arns.parse(arns.with_account(arn, rule.account_id))
    service, region, account = parsed.service, parsed.region, parsed.account
    payload = target_input(target, event, rule.arn)
    if service == "states":
        from moto.stepfunctions.responses import get_backend

        get_backend(account, region).start_execution(state_machine_arn=arn, name=str(uuid.uuid4()), execution_input=payload)
    elif service == "lambda":
        from moto.awslambda.utils import get_backend as lambda_backend

        fn = lambda_backend(account, region).get_function(arn)
        fn.invoke(payload, {"x-amz-invocation-type": "Event"}, {})
    elif service == "sqs":
        from moto.sqs.models import sqs_backends

        group = target.get("SqsParameters", {}).get("MessageGroupId")
        sqs_backends[account][region].send_message(queue_name=parsed.resource, message_body=payload, group_id=group)
    elif service == "sns":
        from moto.sns.models import sns_backends

        sns_backends[account][region].publish(message=payload, arn=arn)
    else:  # logs, archives, other buses, API destinations: moto's own delivery, one target at a time
        original = rule.targets
        try:
            rule.targets = [target]
            _ORIGINAL(rule, event, transform_input=True)
        finally:
            rule.targets = original


def _dead_letter(rule: Any, target: dict[str, Any], event: dict[str, Any], error: Exception) -> None:
    dlq = (target.get("DeadLetterConfig") or {}).get("Arn")
    if not dlq:
        return
    from moto.sqs.models import sqs_backends

    queue = arns.parse(arns.with_account(dlq, rule.account_id))
    attributes = {key: {"DataType": "String", "StringValue": value} for key, value in {
        "ERROR_CODE": type(error).__name__, "ERROR_MESSAGE": str(error)[:256] or type(error).__name__,
        "RULE_ARN": rule.arn, "TARGET_ARN": target["Arn"]}.items()}
    sqs_backends[queue.account][queue.region].send_message(queue_name=queue.resource, message_body=json.dumps(event),
                                                           message_attributes=attributes)


def send_to_targets(self: Any, original_event: dict[str, Any], transform_input: bool = True) -> None:
    """EventBridge rule delivery (replaces moto's `Rule.send_to_targets`)."""
    if getattr(self, "state", "ENABLED") != "ENABLED":
        return
    event = _iso_time(original_event)
    if not self.event_pattern.matches_event(event):
        return
    for target in list(self.targets):
        try:
            _deliver(self, target, event)
        except Exception as error:  # a failed delivery is dead-lettered, as EventBridge does
            if not diagnostics.is_aws_error(error):
                diagnostics.record("eventbridge.deliver", f"rule {self.arn} -> {target['Arn']}", error)
            with diagnostics.guarded("eventbridge.dead_letter", f"rule {self.arn} -> {target['Arn']}"):
                _dead_letter(self, target, event, error)


def _send_event_bridge_message(account_id: str, bucket: Any, event_name: str, key: Any) -> None:
    """S3 → EventBridge: the event goes to the default bus of the bucket's account and region only."""
    from moto.events.models import events_backends
    from moto.events.utils import _BASE_EVENT_MESSAGE
    from moto.s3.notifications import _detail_type

    event = copy.deepcopy(_BASE_EVENT_MESSAGE)
    event.update({
        "id": str(uuid.uuid4()), "detail-type": _detail_type(event_name), "source": "aws.s3", "account": account_id,
        "time": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), "region": bucket.region_name,
        "resources": [bucket.arn],
        "detail": {
            "version": "0", "bucket": {"name": bucket.name},
            "object": {"key": key.name, "size": key.size, "etag": key.etag.replace('"', ""),
                       **({"version-id": key.version_id} if key.version_id and key.version_id != "null" else {}),
                       "sequencer": f"{int(datetime.now(UTC).timestamp() * 1e6):016X}"},
            "request-id": uuid.uuid4().hex[:16].upper(), "requester": account_id,
            "source-ip-address": "127.0.0.1", "reason": event_name.split(":")[1],
        },
    })
    backend = events_backends[account_id][bucket.region_name]
    bus = backend.event_buses.get("default")
    if bus is None:
        return
    for _ in range(eventbridge_faults.copies(bucket.name)):
        for rule in list(bus.rules.values()):
            rule.send_to_targets(event)


_ORIGINAL: Any = None


def install() -> None:
    """Replace moto's rule delivery and its S3 → EventBridge hook."""
    global _ORIGINAL
    from moto.events.models import Rule
    from moto.s3 import notifications

    if _ORIGINAL is None:
        _ORIGINAL = Rule.send_to_targets
    Rule.send_to_targets = send_to_targets  # type: ignore[method-assign]
    notifications._send_event_bridge_message = _send_event_bridge_message

"""Settings only the bill reads from the synthesized stacks: schedules, alarms, WAF rules, stream, S3 encryption, lifecycle."""

from __future__ import annotations

from capacity.synthesized import Synthesized


def schedules(synth: Synthesized) -> list[tuple[str, str]]:
    """(schedule expression, target function slug) of every EventBridge Scheduler schedule on a function."""
    ids, found = synth.function_ids(), []
    for body in synth.resources("aws_scheduler_schedule"):
        target = body["target"]["arn"].removeprefix("${aws_lambda_function.").removesuffix(".arn}")
        if target in ids:
            found.append((body["schedule_expression"], ids[target]))
    return found


def alarm_metrics(synth: Synthesized) -> int:
    """Metrics the alarms bill: one per plain alarm, one per metric a metric-math alarm reads."""
    alarms = synth.resources("aws_cloudwatch_metric_alarm")
    return sum(sum(1 for q in a["metric_query"] if "metric" in q) if "metric_query" in a else 1 for a in alarms)


def waf_rules(synth: Synthesized) -> int:
    """Rules across every web ACL."""
    return sum(len(acl.get("rule", [])) for acl in synth.resources("aws_wafv2_web_acl"))


def stream_batch_size(synth: Synthesized) -> int:
    """Batch size of the DynamoDB stream's event source mapping (Lambda's default 100 when unset)."""
    mappings = synth.resources("aws_lambda_event_source_mapping")
    if len(mappings) != 1:
        raise ValueError(f"expected one event source mapping in {synth.workspace}, found {len(mappings)}")
    return int(mappings[0].get("batch_size", 100))


def bucket_keys(synth: Synthesized) -> bool:
    """True when every SSE-KMS bucket uses an S3 Bucket Key (KMS calls per object become negligible)."""
    rules = [r for c in synth.resources("aws_s3_bucket_server_side_encryption_configuration") for r in c["rule"]]
    kms = [r for r in rules if r["apply_server_side_encryption_by_default"]["sse_algorithm"] == "aws:kms"]
    return all(r.get("bucket_key_enabled") for r in kms)


def glacier_after_days(synth: Synthesized) -> int | None:
    """Days after which the lifecycle rules move objects to GLACIER (the smallest, None: never)."""
    days = [t["days"] for c in synth.resources("aws_s3_bucket_lifecycle_configuration") for r in c["rule"]
            for t in r.get("transition", []) if t.get("storage_class") == "GLACIER"]
    return min(days) if days else None

"""Monthly usage of the API path (POST /transactions) and of what runs whatever the traffic (platform).

Per request: API Gateway REST + WAF, `api_ingest` (memory from the synthesized function), one
conditional put (table + GSIs), the raw archive PUT, a TransactionIngested event, the access, WAF
and function logs, X-Ray traces under the default sampling rule, and the stream consumer.
"""

from __future__ import annotations

from capacity.billed_settings import alarm_metrics, schedules, waf_rules
from capacity.facts import Measurements
from capacity.load_plan import wru_per_item
from capacity.scenario import DAYS_PER_MONTH, Scenario
from capacity.synthesized import Synthesized
from capacity.usage import (
    GB,
    SECONDS_PER_MONTH,
    Line,
    kms_lines,
    lambda_lines,
    log_lines,
    retention,
    runs_per_month,
    s3_storage_line,
    stream_lines,
)

AGGREGATOR = "aggregator"
READ_BYTES_PER_RRU = 8 * 1024  # eventually consistent (a GSI Query always is): one RRU reads 2 x 4 KB
ARCHIVE_BYTES = 1_024  # one archived request body (POST bodies are < 1 KiB; MAX_BODY_BYTES is 16 KiB)


def sampled_traces(requests: float, m: Measurements) -> float:
    """Traces X-Ray records per month at a steady rate: a reservoir per second plus a fixed rate of the rest."""
    per_s = requests / SECONDS_PER_MONTH
    reservoir = m["xray_reservoir_per_s"]
    return SECONDS_PER_MONTH * (min(per_s, reservoir) + m["xray_fixed_rate"] * max(per_s - reservoir, 0.0))


def api_path_lines(synth: Synthesized, m: Measurements, scenario: Scenario) -> list[Line]:
    """Every usage line of POST /transactions for one month of the scenario."""
    n = scenario.api_per_month
    if not n:
        return []
    _, wru = wru_per_item(m["item_bytes"], len(synth.table("transactions").indexes), transactional=False)
    ws = synth.workspace
    return [
        Line(service="API Gateway", what="REST requests", price="apigateway.rest_request", quantity=n),
        Line(service="WAF", what="requests inspected", price="waf.request", quantity=n),
        *lambda_lines(synth.function("api-ingest"), invocations=n, seconds_each=m["api_ingest_ms"] / 1000),
        Line(service="DynamoDB", what="conditional puts (table + GSIs)", price="dynamodb.write_request_unit", quantity=n * wru),
        Line(service="DynamoDB", what="storage of a month's items (table + GSI)", price="dynamodb.storage_gb_month",
             quantity=n * m["item_bytes"] * (1 + len(synth.table("transactions").indexes)) / GB),
        Line(service="S3", what="raw archive PUTs", price="s3.put_request", quantity=n),
        s3_storage_line(synth, "a month's archive", gb=n * ARCHIVE_BYTES / GB),
        *kms_lines(synth, s3_requests=n),
        Line(service="EventBridge", what="TransactionIngested events", price="events.custom_event", quantity=n),
        Line(service="X-Ray", what="traces (default sampling)", price="xray.trace_recorded", quantity=sampled_traces(n, m)),
        *log_lines("API access", bytes_per_month=n * m["api_access_log_bytes"],
                   retention_days=_access_retention(synth)),
        *log_lines("WAF", bytes_per_month=n * m["waf_log_bytes"], retention_days=synth.log_retention_days()[
            f"aws-waf-logs-txnpipe-api-waf-{ws}"]),
        *log_lines("api-ingest", bytes_per_month=n * m["lambda_log_bytes_per_invocation"],
                   retention_days=retention(synth, "/aws/lambda/", "api-ingest")),
        *stream_lines(synth, m, records=n),
    ]


def _access_retention(synth: Synthesized) -> int:
    return synth.log_retention_days()[f"/aws/apigateway/txnpipe-api-{synth.workspace}/access"]


def platform_lines(synth: Synthesized, m: Measurements, *, items_per_month: float) -> list[Line]:
    """Fixed monthly costs (key, WAF, alarms, dashboards, scheduled functions) and the aggregator's reads.

    Each aggregator run Queries the day index for today so far (functions/aggregator/handler.py): on
    average half a day's index entries per run, at 0.5 RRU per 4 KB (eventually consistent), whatever
    the table's history. (The few runs just after midnight that also finish yesterday are left out.)
    """
    lines = [
        Line(service="KMS", what="customer managed keys", price="kms.key_month", quantity=synth.count("aws_kms_key")),
        Line(service="WAF", what="web ACLs", price="waf.web_acl_month", quantity=synth.count("aws_wafv2_web_acl")),
        Line(service="WAF", what="rules", price="waf.rule_month", quantity=waf_rules(synth)),
        Line(service="CloudWatch", what="alarm metrics", price="cloudwatch.alarm_month", quantity=alarm_metrics(synth)),
        Line(service="CloudWatch", what="dashboards", price="cloudwatch.dashboard_month",
             quantity=synth.count("aws_cloudwatch_dashboard")),
    ]
    for expression, slug in schedules(synth):
        runs = runs_per_month(expression)
        lines += lambda_lines(synth.function(slug), invocations=runs, seconds_each=m["scheduled_run_ms"] / 1000)
        lines += log_lines(slug, bytes_per_month=runs * m["lambda_log_bytes_per_invocation"],
                           retention_days=retention(synth, "/aws/lambda/", slug))
        if slug == AGGREGATOR:
            read_bytes = items_per_month / DAYS_PER_MONTH / 2 * m["day_index_entry_bytes"]
            lines.append(Line(service="DynamoDB", what="aggregator day-index queries", price="dynamodb.read_request_unit",
                              quantity=runs * read_bytes / READ_BYTES_PER_RRU))
    return lines

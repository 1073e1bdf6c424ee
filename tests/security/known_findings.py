"""Findings of the gates in other engineers' resources, reported with their fix (not skipped).

The gates ignore exactly these (so a *new* finding still fails `make test`), and
`test_open_findings.py` keeps one strict xfail per entry: when the fix lands, that test
XPASSes and fails, telling whoever fixed it to delete the entry here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Open:
    gate: str  # "checkov", "parliament" or a name in gates.all_gates
    match: str  # substring of the finding text
    owner: str
    fix: str


OPEN: tuple[Open, ...] = (
    Open("failure_destinations", "function aggregator_function", "api stack",
         "stacks/api_aggregation.py after the SchedulerSchedule (line ~59): Scheduler invokes the aggregator "
         "asynchronously, so its DLQ only catches failed deliveries and a failing run is dropped after Lambda's "
         "retries. Add LambdaFunctionEventInvokeConfig(self, 'on-failure', function_name=function.name, "
         "maximum_retry_attempts=2, destination_config=LambdaFunctionEventInvokeConfigDestinationConfig("
         "on_failure=LambdaFunctionEventInvokeConfigDestinationConfigOnFailure(destination=self.dlq.arn))) and "
         "grant the function sqs:SendMessage on self.dlq.arn (plus kms:GenerateDataKey/kms:Decrypt on the CMK)"),
    Open("service_writers_can_use_the_key", "cloudwatch.amazonaws.com may write to it", "storage (committed)",
         "stacks/storage_kms.py:27-33 key_policy(): CloudWatch alarms publish to the SSE-KMS alert topic but the key "
         "policy does not let cloudwatch.amazonaws.com use the key, so every alarm notification is dropped. Add the "
         "AWS-documented statement Statement(sid='CloudWatchAlarmsUseKey', actions=['kms:Decrypt', "
         "'kms:GenerateDataKey*'], principals={'Service': 'cloudwatch.amazonaws.com'}, resources=['*'], "
         "reason=\"key policy: '*' is the key itself\") (or add 'cloudwatch.amazonaws.com' to _SERVICE_PRINCIPALS "
         "on line 13 if the aws:SourceAccount condition is verified to be present on CloudWatch's KMS calls)"),
    Open("checkov", "CKV_AWS_237 /api-", "api stack",
         "stacks/api_gateway.py:72 ApiGatewayRestApi(...): add "
         "lifecycle=TerraformResourceLifecycle(create_before_destroy=True)"),
    Open("checkov", "CKV_AWS_297 /api-", "api stack",
         "stacks/api_aggregation.py:59 SchedulerSchedule(...): add kms_key_arn=kms (the schedule's input "
         "is then encrypted with the CMK; its role already has kms:Decrypt on it)"),
    Open("checkov", "CKV2_AWS_4 /api-", "api stack",
         "stacks/api_gateway.py:143-161: create the execution log group yourself, "
         "CloudwatchLogGroup(self, 'execution-logs', name=f'API-Gateway-Execution-Logs_{self.api.id}/{self.stage_name}', "
         "retention_in_days=retention, kms_key_id=kms_key_arn), make the stage depend on it, and set "
         "logging_level='ERROR' (data_trace_enabled stays False)"),
    Open("checkov", "CKV2_AWS_29 /api-", "api stack",
         "stacks/api_gateway.py after the stage: Wafv2WebAcl (scope REGIONAL, default allow, rules "
         "AWSManagedRulesCommonRuleSet + AWSManagedRulesKnownBadInputsRuleSet + a rate-based rule per IP) and "
         "Wafv2WebAclAssociation(resource_arn=self.stage.arn); add 'wafv2' to _ENDPOINT_SERVICES in stacks/base.py"),
    Open("parliament", "anomaly-detector_policy-anomaly", "api stack",
         "stacks/api_streams.py:40-42: dynamodb:ListStreams has no resource-level permission, so the grant on "
         "the stream ARN never matches; move it to its own Statement(sid='ListStreams', "
         "actions=['dynamodb:ListStreams'], resources=['*'], reason='ListStreams has no resource-level permissions')"),
)


def new_findings(gate: str, findings: Iterable[str]) -> list[str]:
    """`findings` minus the reported open ones of `gate`."""
    known = [o.match for o in OPEN if o.gate == gate]
    return [f for f in findings if not any(m in f for m in known)]

"""A regional WAF in front of the partner API: AWS managed rules, a per-IP rate limit, logging."""

from __future__ import annotations

from typing import Any

from cdktf_cdktf_provider_aws.cloudwatch_log_group import CloudwatchLogGroup
from cdktf_cdktf_provider_aws.wafv2_web_acl import (
    Wafv2WebAcl,
    Wafv2WebAclDefaultAction,
    Wafv2WebAclDefaultActionAllow,
    Wafv2WebAclVisibilityConfig,
)
from cdktf_cdktf_provider_aws.wafv2_web_acl_association import Wafv2WebAclAssociation
from cdktf_cdktf_provider_aws.wafv2_web_acl_logging_configuration import Wafv2WebAclLoggingConfiguration
from constructs import Construct

from stacks.naming import Namer

MANAGED_RULE_GROUPS = ("AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet",
                       "AWSManagedRulesAnonymousIpList")
# Partners call from their servers, often in a cloud: hosting-provider IPs are counted, not blocked.
COUNT_ONLY = {"AWSManagedRulesAnonymousIpList": ("HostingProviderIPList",)}
REQUESTS_PER_5_MIN_PER_IP = 2000


def _visibility(name: str) -> list[dict[str, Any]]:
    return [{"cloudwatch_metrics_enabled": True, "metric_name": name, "sampled_requests_enabled": True}]


def rules() -> list[dict[str, Any]]:
    """The ACL's rules as Terraform JSON blocks (the binding has no typed `statement`: it is too deep).

    Nested blocks are written as lists, the form scanners such as checkov read as blocks.
    """
    managed = [{
        "name": group, "priority": index, "override_action": [{"none": [{}]}],
        "statement": [{"managed_rule_group_statement": [{
            "name": group, "vendor_name": "AWS",
            **({"rule_action_override": [{"name": rule, "action_to_use": [{"count": [{}]}]}
                                         for rule in COUNT_ONLY[group]]} if group in COUNT_ONLY else {}),
        }]}],
        "visibility_config": _visibility(group),
    } for index, group in enumerate(MANAGED_RULE_GROUPS)]
    rate = {
        "name": "RatePerIp", "priority": len(managed), "action": [{"block": [{}]}],
        "statement": [{"rate_based_statement": [{"limit": REQUESTS_PER_5_MIN_PER_IP, "aggregate_key_type": "IP"}]}],
        "visibility_config": _visibility("RatePerIp"),
    }
    return [*managed, rate]


class ApiFirewall(Construct):
    """Web ACL associated with the API stage, logging blocked requests' metadata to a CMK log group."""

    def __init__(self, scope: Construct, id: str, *, namer: Namer, stage_arn: str, kms_key_arn: str,
                 retention_days: int) -> None:
        super().__init__(scope, id)
        name = namer.name("api-waf")
        self.acl = Wafv2WebAcl(
            self, "acl", name=name, scope="REGIONAL",
            default_action=Wafv2WebAclDefaultAction(allow=Wafv2WebAclDefaultActionAllow()),
            visibility_config=Wafv2WebAclVisibilityConfig(
                cloudwatch_metrics_enabled=True, metric_name=name, sampled_requests_enabled=True),
        )
        self.acl.add_override("rule", rules())
        Wafv2WebAclAssociation(self, "association", resource_arn=stage_arn, web_acl_arn=self.acl.arn)
        # WAF only logs to groups named aws-waf-logs-*.
        logs = CloudwatchLogGroup(self, "logs", name=f"aws-waf-logs-{name}", retention_in_days=retention_days,
                                  kms_key_id=kms_key_arn)
        Wafv2WebAclLoggingConfiguration(self, "logging", resource_arn=self.acl.arn,
                                        log_destination_configs=[logs.arn])

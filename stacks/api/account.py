"""Account-level API Gateway setting: the role API Gateway uses to write execution/access logs.

There is one such setting per account and region. Each workspace's api stack manages it
(the same role policy everywhere); when several workspaces share an account, only one
should: set `ACCOUNT_SETTINGS_WORKSPACES` accordingly.
"""

from __future__ import annotations

from cdktf_cdktf_provider_aws.api_gateway_account import ApiGatewayAccount
from cdktf_cdktf_provider_aws.iam_role import IamRole
from cdktf_cdktf_provider_aws.iam_role_policy_attachment import IamRolePolicyAttachment
from constructs import Construct

from stacks.constructs.policy import assume_role_policy
from stacks.naming import Namer, Service

ACCOUNT_SETTINGS_WORKSPACES = frozenset({"local", "dev", "staging", "prod"})
PUSH_TO_LOGS = "arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs"


class ApiGatewayLogging(Construct):
    """The CloudWatch role of API Gateway in this account and region."""

    def __init__(self, scope: Construct, id: str, *, namer: Namer) -> None:
        super().__init__(scope, id)
        self.role = IamRole(
            self, "role", name=namer.name("apigw-logs", Service.IAM_ROLE),
            assume_role_policy=assume_role_policy("apigateway.amazonaws.com"),
        )
        attachment = IamRolePolicyAttachment(self, "push-to-logs", role=self.role.name, policy_arn=PUSH_TO_LOGS)
        self.account = ApiGatewayAccount(
            self, "account", cloudwatch_role_arn=self.role.arn, depends_on=[attachment],
        )

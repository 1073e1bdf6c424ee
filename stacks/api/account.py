"""Account-level API Gateway setting: the role API Gateway uses to write execution/access logs.

There is one such setting per account and region, so only the workspace that owns its account's
settings manages it (`WorkspaceConfig.owns_account_settings`: local, dev for payments-nonprod, prod);
staging and review workspaces share dev's account and its role. Two owners in one account would
each point the setting at their own role, and destroying one would leave the other's stage
pointing at a deleted role.
"""

from __future__ import annotations

from cdktf_cdktf_provider_aws.api_gateway_account import ApiGatewayAccount
from cdktf_cdktf_provider_aws.iam_role import IamRole
from cdktf_cdktf_provider_aws.iam_role_policy_attachment import IamRolePolicyAttachment
from constructs import Construct

from stacks.constructs.policy import assume_role_policy
from stacks.naming import Namer, Service

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

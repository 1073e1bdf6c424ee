"""The customer-managed KMS key shared by every data store of one workspace."""

from __future__ import annotations

from cdktf_cdktf_provider_aws.kms_alias import KmsAlias
from cdktf_cdktf_provider_aws.kms_key import KmsKey
from constructs import Construct

from stacks.constructs.policy import PolicyDocument, Statement

_USE_KEY = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"]
# Services that encrypt on our behalf with their own principal (not through a caller's role).
_SERVICE_PRINCIPALS = ("sns.amazonaws.com", "events.amazonaws.com", "s3.amazonaws.com", "sqs.amazonaws.com")


def key_policy(*, account_id: str, region: str) -> str:
    """Key policy: the account administers it (IAM decides who uses it); services may use it."""
    account = f"arn:aws:iam::{account_id}:root"
    return PolicyDocument([
        # In a key policy "*" means "this key"; delegating to IAM is the AWS-recommended default.
        Statement(sid="AccountAdministersKey", actions=["kms:*"], principals={"AWS": account},
                  resources=["*"], reason="key policy: '*' is the key itself"),
        Statement(
            sid="CloudWatchLogsUseKey", actions=_USE_KEY, principals={"Service": f"logs.{region}.amazonaws.com"},
            resources=["*"], reason="key policy: '*' is the key itself",
            conditions={"ArnLike": {"kms:EncryptionContext:aws:logs:arn": f"arn:aws:logs:{region}:{account_id}:*"}},
        ),
        # CloudWatch alarms publishing to the encrypted alert topic (AWS-documented statement;
        # CloudWatch's KMS calls carry no aws:SourceAccount to condition on).
        Statement(sid="CloudWatchAlarmsUseKey", actions=["kms:Decrypt", "kms:GenerateDataKey*"],
                  principals={"Service": "cloudwatch.amazonaws.com"}, resources=["*"],
                  reason="key policy: '*' is the key itself"),
        Statement(
            sid="ServicePrincipalsUseKey", actions=["kms:Decrypt", "kms:GenerateDataKey*"],
            principals={"Service": list(_SERVICE_PRINCIPALS)}, resources=["*"],
            reason="key policy: '*' is the key itself",
            conditions={"StringEquals": {"aws:SourceAccount": account_id}},
        ),
    ]).to_json()


class PipelineKey(Construct):
    """KMS CMK with yearly rotation and an alias `alias/<name>`."""

    def __init__(self, scope: Construct, id: str, *, name: str, account_id: str, region: str, protect: bool) -> None:
        super().__init__(scope, id)
        window = 30 if protect else 7
        self.key = KmsKey(
            self, "key", description=f"Data key of {name}", enable_key_rotation=True,
            deletion_window_in_days=window,
            policy=key_policy(account_id=account_id, region=region),
        )
        KmsAlias(self, "alias", name=f"alias/{name}", target_key_id=self.key.key_id)
        self.arn = self.key.arn

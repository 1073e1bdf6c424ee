"""One way to read, build and complete ARNs in the emulator.

The ARN format (AWS IAM User Guide, "IAM identifiers" / AWS General Reference, "Amazon Resource
Names (ARNs)"): `arn:partition:service:region:account-id:resource`, where the resource part may
itself contain `:` or `/`. With `skip_requesting_account_id` (set for the local workspace) the AWS
provider builds some ARNs with an empty account field; `with_account` fills it in.
"""

from __future__ import annotations

from dataclasses import dataclass

PARTITION = "aws"
_FIELDS = 6  # arn, partition, service, region, account, resource


@dataclass(frozen=True)
class Arn:
    """The fields of one ARN; `resource` is everything after the account (e.g. `workgroup/primary`)."""

    partition: str
    service: str
    region: str
    account: str
    resource: str

    def __str__(self) -> str:
        return f"arn:{self.partition}:{self.service}:{self.region}:{self.account}:{self.resource}"


def is_arn(text: str) -> bool:
    """True when `text` has the six fields of an ARN (the resource part may be anything)."""
    parts = text.split(":", _FIELDS - 1)
    return len(parts) == _FIELDS and parts[0] == "arn" and bool(parts[1]) and bool(parts[2])


def parse(text: str) -> Arn:
    """Split an ARN into its fields; a text that is no ARN raises ValueError naming it."""
    parts = text.split(":", _FIELDS - 1)
    if not is_arn(text):
        raise ValueError(f"not an ARN (expected arn:partition:service:region:account:resource): {text!r}")
    return Arn(partition=parts[1], service=parts[2], region=parts[3], account=parts[4], resource=parts[5])


def arn(service: str, region: str, account: str, resource: str, *, partition: str = PARTITION) -> str:
    """Build `arn:<partition>:<service>:<region>:<account>:<resource>`."""
    return str(Arn(partition=partition, service=service, region=region, account=account, resource=resource))


def with_account(text: str, account: str) -> str:
    """`text` with an empty account field filled with `account`; any other ARN unchanged.

    Also for ARN patterns (`arn:aws:execute-api:us-east-1::abc/*/GET/x`), whose resource part
    may hold wildcards: only the account field is looked at.
    """
    parsed = parse(text)
    if parsed.account:
        return text
    return str(Arn(partition=parsed.partition, service=parsed.service, region=parsed.region, account=account,
                   resource=parsed.resource))

"""Addition: Glue tag calls with the ARNs the AWS provider builds when it skips the account lookup.

With `skip_requesting_account_id` (set for the local workspace, as for any emulator) the provider
builds `arn:aws:glue:<region>::database/<name>` (empty account) for `GetTags`/`TagResource`/
`UntagResource`. moto 5.2.5 stores the tags given to `CreateDatabase` under the ARN with its
account, so `GetTags` answered no tags, `tags_all` read back empty and every plan after apply
wanted to add the default tags again. The emulator fills in the account, so the tags written on
create read back (AWS Glue Developer Guide, "Specifying AWS Glue resource ARNs":
`arn:aws:glue:region:account-id:database/database-name`; Glue API "GetTags" returns the tags of
that resource). Same cause and remedy as `localcloud.patches.athena`.
"""

from __future__ import annotations

from typing import Any

from localcloud import ACCOUNT_ID
from localcloud.arns import with_account


def install() -> None:
    """Normalize ARNs in the Glue backend's tag methods."""
    from moto.glue.models import GlueBackend

    get_tags, tag, untag = GlueBackend.get_tags, GlueBackend.tag_resource, GlueBackend.untag_resource
    if getattr(get_tags, "_localcloud", False):
        return

    def account(self: Any) -> str:
        return str(self.account_id or ACCOUNT_ID)

    def get_tags_any_arn(self: Any, resource_id: str) -> dict[str, str]:
        return get_tags(self, with_account(resource_id, account(self)))

    get_tags_any_arn._localcloud = True  # type: ignore[attr-defined]
    GlueBackend.get_tags = get_tags_any_arn  # type: ignore[method-assign]
    GlueBackend.tag_resource = lambda self, arn, tags: tag(self, with_account(arn, account(self)), tags)  # type: ignore[method-assign, assignment]
    GlueBackend.untag_resource = lambda self, arn, keys: untag(self, with_account(arn, account(self)), keys)  # type: ignore[method-assign, assignment]

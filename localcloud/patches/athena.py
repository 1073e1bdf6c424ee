"""Addition: Athena tag calls with the ARNs the AWS provider builds when it skips the account lookup.

With `skip_requesting_account_id` (set for the local workspace, as for any emulator) the provider
builds `arn:aws:athena:<region>::workgroup/<name>`, with an empty account; moto 5.2.5 keys tags by
the full ARN and answers "Does Not Exist" (also for an existing resource without tags). The
emulator fills in the account and answers an empty tag list for a workgroup or data catalog that
exists.
"""

from __future__ import annotations

from typing import Any

from localcloud import ACCOUNT_ID


def _arn(self: Any, arn: str) -> str:
    parts = arn.split(":")
    if len(parts) > 5 and parts[2] == "athena" and not parts[4]:
        parts[4] = self.account_id or ACCOUNT_ID
    return ":".join(parts)


def install() -> None:
    """Normalize ARNs in the Athena backend's tag methods."""
    from moto.athena.models import AthenaBackend

    list_tags, tag, untag = AthenaBackend.list_tags_for_resource, AthenaBackend.tag_resource, AthenaBackend.untag_resource

    def list_tags_for_resource(self: Any, resource_arn: str) -> dict[str, Any] | None:
        arn = _arn(self, resource_arn)
        tags = list_tags(self, arn)
        if tags:
            return tags  # type: ignore[no-any-return]
        name = arn.rsplit("/", 1)[-1]
        exists = name in getattr(self, "work_groups", {}) or name in getattr(self, "data_catalogs", {})
        return {"Tags": []} if exists else None

    AthenaBackend.list_tags_for_resource = list_tags_for_resource  # type: ignore[method-assign]
    AthenaBackend.tag_resource = lambda self, arn, tags: tag(self, _arn(self, arn), tags)  # type: ignore[method-assign]
    AthenaBackend.untag_resource = lambda self, arn, keys: untag(self, _arn(self, arn), keys)  # type: ignore[method-assign]

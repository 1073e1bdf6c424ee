"""Addition: Athena tag calls with the ARNs the AWS provider builds when it skips the account lookup.

With `skip_requesting_account_id` (set for the local workspace, as for any emulator) the provider
builds `arn:aws:athena:<region>::workgroup/<name>`, with an empty account; moto 5.2.5 keys tags by
the full ARN and answers "Does Not Exist" (also for an existing resource without tags), while it
tags a resource that does not exist without complaint. The emulator fills in the account
(`localcloud.arns.with_account`) and answers as the Athena API Reference documents
ListTagsForResource, TagResource and UntagResource: the tags (an empty list for an existing
workgroup or data catalog without tags), and `ResourceNotFoundException` for an ARN naming a
workgroup or data catalog that does not exist.
"""

from __future__ import annotations

from typing import Any

from localcloud import arns

_KINDS = {"workgroup": "work_groups", "datacatalog": "data_catalogs"}


def _arn(self: Any, arn: str) -> str:
    return arns.with_account(arn, self.account_id) if arns.is_arn(arn) else arn


def _check_exists(self: Any, arn: str) -> bool:
    """True for an existing workgroup/data catalog; ResourceNotFoundException when it does not exist.

    False for other ARNs (capacity reservations, malformed ones): moto answers those itself.
    """
    from moto.core.exceptions import JsonRESTError

    kind, _, name = arns.parse(arn).resource.partition("/") if arns.is_arn(arn) else ("", "", "")
    registry = _KINDS.get(kind)
    if registry is None:
        return False
    if name not in getattr(self, registry):
        raise JsonRESTError("ResourceNotFoundException", f"Resource {arn} does not exist")
    return True


def install() -> None:
    """Normalize ARNs in the Athena backend's tag methods and refuse unknown resources."""
    from moto.athena.models import AthenaBackend

    list_tags, tag, untag = AthenaBackend.list_tags_for_resource, AthenaBackend.tag_resource, AthenaBackend.untag_resource
    if getattr(list_tags, "_localcloud", False):
        return

    def list_tags_for_resource(self: Any, resource_arn: str) -> dict[str, Any] | None:
        arn = _arn(self, resource_arn)
        known = _check_exists(self, arn)
        tags = list_tags(self, arn)
        return tags if tags or not known else {"Tags": []}

    def tag_resource(self: Any, resource_arn: str, tags: dict[str, str]) -> None:
        arn = _arn(self, resource_arn)
        _check_exists(self, arn)
        tag(self, arn, tags)

    def untag_resource(self: Any, resource_arn: str, keys: list[str]) -> None:
        arn = _arn(self, resource_arn)
        _check_exists(self, arn)
        untag(self, arn, keys)

    list_tags_for_resource._localcloud = True  # type: ignore[attr-defined]
    AthenaBackend.list_tags_for_resource = list_tags_for_resource  # type: ignore[method-assign]
    AthenaBackend.tag_resource = tag_resource  # type: ignore[method-assign, assignment]
    AthenaBackend.untag_resource = untag_resource  # type: ignore[method-assign, assignment]

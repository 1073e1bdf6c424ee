"""A DynamoDB table with our defaults: on demand, PITR, CMK, deletion protection per workspace."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from cdktf_cdktf_provider_aws.dynamodb_table import (
    DynamodbTable,
    DynamodbTableAttribute,
    DynamodbTableGlobalSecondaryIndex,
    DynamodbTablePointInTimeRecovery,
    DynamodbTableServerSideEncryption,
    DynamodbTableTtl,
)
from constructs import Construct


@dataclass(frozen=True, kw_only=True)
class Index:
    """A global secondary index projecting all attributes, or the keys plus `include` (INCLUDE projection)."""

    name: str
    hash_key: str
    range_key: str | None = None
    include: Sequence[str] = ()


@dataclass(frozen=True, kw_only=True)
class TableSpec:
    """Key schema and options of one table; all key attributes are strings."""

    purpose: str
    hash_key: str
    range_key: str | None = None
    indexes: Sequence[Index] = ()
    stream: bool = False
    ttl_attribute: str | None = None


class PipelineTable(Construct):
    """Encrypted, point-in-time-recoverable, on-demand DynamoDB table."""

    def __init__(self, scope: Construct, id: str, *, spec: TableSpec, name: str, kms_key_arn: str, protect: bool) -> None:
        super().__init__(scope, id)
        keys = [spec.hash_key, spec.range_key, *(k for i in spec.indexes for k in (i.hash_key, i.range_key))]
        attributes = sorted({k for k in keys if k})
        self.table = DynamodbTable(
            self, "table", name=name, billing_mode="PAY_PER_REQUEST",
            hash_key=spec.hash_key, range_key=spec.range_key,
            attribute=[DynamodbTableAttribute(name=a, type="S") for a in attributes],
            global_secondary_index=[_index(i, spec) for i in spec.indexes] or None,
            point_in_time_recovery=DynamodbTablePointInTimeRecovery(enabled=True),
            server_side_encryption=DynamodbTableServerSideEncryption(enabled=True, kms_key_arn=kms_key_arn),
            deletion_protection_enabled=protect,
            stream_enabled=spec.stream or None,
            stream_view_type="NEW_AND_OLD_IMAGES" if spec.stream else None,
            ttl=DynamodbTableTtl(enabled=True, attribute_name=spec.ttl_attribute) if spec.ttl_attribute else None,
        )
        self.name = self.table.name
        self.arn = self.table.arn


def _index(index: Index, spec: TableSpec) -> DynamodbTableGlobalSecondaryIndex:
    keys = {spec.hash_key, spec.range_key, index.hash_key, index.range_key}
    listed_keys = sorted(k for k in keys & set(index.include) if k)
    if listed_keys:  # keys are always projected; DynamoDB refuses them in NonKeyAttributes
        raise ValueError(f"index {index.name}: include lists key attributes {listed_keys}")
    return DynamodbTableGlobalSecondaryIndex(
        name=index.name, hash_key=index.hash_key, range_key=index.range_key,
        projection_type="INCLUDE" if index.include else "ALL",
        non_key_attributes=sorted(index.include) or None,
    )

"""Addition: DynamoDB refuses an oversized key on reads and deletes too, not only on writes.

AWS: a partition key value is at most 2048 bytes and a sort key value at most 1024 bytes
(DynamoDB Developer Guide, "Quotas": "Partition key length and values"), and a GetItem,
BatchGetItem, DeleteItem, UpdateItem or Query naming a longer key answers `ValidationException`
("One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit
of2048 bytes"; for sort keys "Aggregated size of all range keys has exceeded the size limit of
1024 bytes"). moto 5.2.5 checks the limit on PutItem only and answers a read of an oversized key
with "no item", so a handler that looks up a caller-supplied id could never see the 400 (and
answer 500) that AWS would give it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

LIMITS_INSTALLED = "_localcloud_key_limits"


def check_sizes(hash_key: Any, range_key: Any = None) -> None:
    """Raise moto's ValidationException when a key value is over DynamoDB's limits (None: not given)."""
    from moto.dynamodb.exceptions import HashKeyTooLong, RangeKeyTooLong
    from moto.dynamodb.limits import HASH_KEY_MAX_LENGTH, RANGE_KEY_MAX_LENGTH

    if hash_key is not None and hash_key.size() > HASH_KEY_MAX_LENGTH:
        raise HashKeyTooLong
    if range_key is not None and range_key.size() > RANGE_KEY_MAX_LENGTH:
        raise RangeKeyTooLong


def _checked(original: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(original)
    def method(self: Any, hash_key: Any, range_key: Any = None, *args: Any, **kwargs: Any) -> Any:
        check_sizes(hash_key, range_key if hasattr(range_key, "size") else None)
        return original(self, hash_key, range_key, *args, **kwargs)

    return method


def install() -> None:
    """Check key sizes in moto's Table.get_item, delete_item and query (their first two arguments)."""
    from moto.dynamodb.models.table import Table

    if getattr(Table, LIMITS_INSTALLED, False):
        return
    for name in ("get_item", "delete_item", "query"):
        setattr(Table, name, _checked(getattr(Table, name)))
    setattr(Table, LIMITS_INSTALLED, True)

"""Table keys of API-stored transactions (the key scheme itself lives in txnpipe.items)."""

from __future__ import annotations

from txnpipe.items import account_key, transaction_key, with_day_shard

__all__ = ["account_key", "keyed_item", "transaction_key"]


def keyed_item(item: dict[str, str | int]) -> dict[str, str | int]:
    """`Transaction.to_item(...)` plus the table keys derived from it (table, account index, day index)."""
    partner_id, transaction_id, account_id = (str(item[k]) for k in ("partner_id", "transaction_id", "account_id"))
    return with_day_shard({
        **item,
        "transaction_key": transaction_key(partner_id, transaction_id),
        "account_key": account_key(partner_id, account_id),
    })

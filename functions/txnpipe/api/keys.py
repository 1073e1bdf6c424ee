"""Table keys of API-stored transactions (the key scheme itself lives in txnpipe.items)."""

from __future__ import annotations

from txnpipe.items import account_key, transaction_key

__all__ = ["account_key", "keyed_item", "transaction_key"]


def keyed_item(item: dict[str, str | int]) -> dict[str, str | int]:
    """`Transaction.to_item(...)` plus the two table keys derived from it."""
    partner_id, transaction_id, account_id = (str(item[k]) for k in ("partner_id", "transaction_id", "account_id"))
    return {
        **item,
        "transaction_key": transaction_key(partner_id, transaction_id),
        "account_key": account_key(partner_id, account_id),
    }

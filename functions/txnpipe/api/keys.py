"""Table keys shared by the API, the file pipeline and the anomaly detector."""

from __future__ import annotations

SEPARATOR = "#"


def transaction_key(partner_id: str, transaction_id: str) -> str:
    """Hash key of the transactions table: ids are unique per partner only."""
    return f"{partner_id}{SEPARATOR}{transaction_id}"


def account_key(partner_id: str, account_id: str) -> str:
    """Hash key of the `account-timestamp-index`: accounts are scoped by partner."""
    return f"{partner_id}{SEPARATOR}{account_id}"


def keyed_item(item: dict[str, str | int]) -> dict[str, str | int]:
    """`Transaction.to_item(...)` plus the two table keys derived from it."""
    partner_id, transaction_id, account_id = (str(item[k]) for k in ("partner_id", "transaction_id", "account_id"))
    return {
        **item,
        "transaction_key": transaction_key(partner_id, transaction_id),
        "account_key": account_key(partner_id, account_id),
    }

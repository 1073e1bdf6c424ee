"""The API Gateway request model (stacks/api/models.py, draft-04) never refuses a transaction the contract accepts.

The model repeats some of the contract's constants (its own copy, in the gateway's JSON Schema draft);
these tests hold the copy to the code's rules.
"""

from __future__ import annotations

import json

from jsonschema import Draft4Validator

from stacks.api.models import TRANSACTION_SCHEMA
from tests.contract.corpus import CASES, JSON_CASES, json_text
from txnpipe.domain.rules import (
    MAX_DESCRIPTION_LENGTH,
    MAX_ID_LENGTH,
    REQUIRED_FIELDS,
    SUPPORTED_CURRENCIES,
    TRANSACTION_TYPES,
)


def test_every_transaction_the_contract_accepts_passes_the_gateway_model() -> None:
    # Given every valid corpus case as the body a partner posts
    bodies = [json.loads(json_text(case.record(f"G{i}"))) for i, case in enumerate((*CASES, *JSON_CASES)) if case.valid]
    validator = Draft4Validator(TRANSACTION_SCHEMA)
    # Then the gateway lets each through to the function (which applies the full rules)
    assert [body for body in bodies if not validator.is_valid(body)] == []


def test_the_gateway_models_copy_of_the_rules_is_the_codes() -> None:
    properties = TRANSACTION_SCHEMA["properties"]
    assert set(TRANSACTION_SCHEMA["required"]) == set(REQUIRED_FIELDS)
    assert set(properties["currency"]["enum"]) == set(SUPPORTED_CURRENCIES)
    assert properties["transaction_type"]["enum"] == list(TRANSACTION_TYPES)
    assert {properties[f]["maxLength"] for f in ("transaction_id", "account_id", "merchant_id")} == {MAX_ID_LENGTH}
    assert properties["description"]["maxLength"] == MAX_DESCRIPTION_LENGTH

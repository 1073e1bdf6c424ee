"""The real API handlers (against moto) answer only what docs/contract/openapi.json documents, in its shapes.

Each request's answer must be a documented status of its operation, its body must validate against
that response's schema, and a function's error message must be the documented example's.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import boto3
import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from contract.fields import EXAMPLE
from contract.paths import OUT_DIR
from stacks.storage.stack import AUDIT, FILES
from tests.contract.corpus import Case
from tests.fake_aws import create_table
from tests.handlers.conftest import FakeContext, aws
from tests.handlers.test_api_support import BUS, PARTNER_KEYS, RAW_BUCKET, api_event, bus_capture_queue
from tests.handlers.test_api_support import create_transactions_table as transactions_table
from txnpipe.api import routes
from txnpipe.layout import UPLOAD_REF_INDEX

__all__ = ["aws"]
DOCUMENT = json.loads((OUT_DIR / "openapi.json").read_text())
URI = "urn:txnpipe:openapi"
REGISTRY = Registry().with_resource(URI, Resource.from_contents(DOCUMENT, default_specification=DRAFT202012))
HANDLERS = {routes.TRANSACTIONS: "api_ingest", routes.UPLOADS: "api_uploads", routes.TRANSACTION: "api_status",
            routes.FILE: "api_status"}


@pytest.fixture
def env(aws: None, monkeypatch: pytest.MonkeyPatch) -> None:
    kms = boto3.client("kms").create_key()["KeyMetadata"]["Arn"]
    for key, value in {"PARTNER_KEYS": json.dumps(PARTNER_KEYS), "TRANSACTIONS_TABLE": "transactions",
                       "RAW_BUCKET": RAW_BUCKET, "KMS_KEY_ARN": kms, "EVENT_BUS_NAME": BUS, "FILES_TABLE": "files",
                       "AUDIT_TABLE": "audit", "FILES_UPLOAD_INDEX": UPLOAD_REF_INDEX,
                       "LARGE_FILE_BYTES": str(10**9)}.items():
        monkeypatch.setenv(key, value)
    boto3.client("s3").create_bucket(Bucket=RAW_BUCKET)
    transactions_table()
    create_table(FILES)
    create_table(AUDIT)
    bus_capture_queue()


def call(method: str, path: str, *, key_id: str | None = "key-acme", body: object = None, raw: str | None = None,
         params: dict[str, str] | None = None) -> tuple[int, Any]:
    """One request to the handler of `path`; returns (status, decoded body)."""
    module = __import__(f"{HANDLERS[path]}.handler", fromlist=["handler"])
    response = module.handler(api_event(method, path, key_id=key_id, body=body, raw=raw, path=params), FakeContext())
    return response["statusCode"], json.loads(response["body"])


def documented(method: str, path: str, status: int) -> dict[str, Any]:
    """The documented response (KeyError when the status is not documented for the operation)."""
    response: dict[str, Any] = DOCUMENT["paths"][path][method.lower()]["responses"][str(status)]
    return response


def check(method: str, path: str, answer: tuple[int, Any]) -> None:
    status, body = answer
    response = documented(method, path, status)
    schema = {"$ref": f"{URI}{response['content']['application/json']['schema']['$ref']}"}
    errors = [e.message for e in Draft202012Validator(schema, registry=REGISTRY).iter_errors(body)]
    assert errors == [], (method, path, status, body)
    examples = response["content"]["application/json"].get("examples", {})
    messages = {example["value"]["message"] for name, example in examples.items() if name.startswith("function")}
    if messages:
        assert body["message"] in messages


def register_file() -> str:
    """A file registered and moved to VALIDATING by the real handlers; returns its file id."""
    from file_status.handler import handler as file_status
    from register_file.handler import handler as register

    detail = {"bucket": {"name": RAW_BUCKET}, "object": {"key": "uploads/acme/day1.csv", "size": 10, "version-id": "v1"}}
    file_id = str(register({"detail": detail}, FakeContext())["file_id"])
    file_status({"file_id": file_id, "status": "VALIDATING"}, FakeContext())
    return file_id


Request = Callable[[], tuple[int, Any]]


def requests(file_id: str) -> list[tuple[str, str, Request]]:
    too_large = json.dumps({**EXAMPLE, "description": "x" * 20_000})
    other = {**EXAMPLE, "amount": "99.00"}
    broken = Case("broken", False, {"amount": "10.505", "currency": "USD"}).record(EXAMPLE["transaction_id"])
    t, u, one, f = routes.TRANSACTIONS, routes.UPLOADS, routes.TRANSACTION, routes.FILE
    return [
        ("POST", t, lambda: call("POST", t, body=EXAMPLE)),
        ("POST", t, lambda: call("POST", t, body=EXAMPLE)),
        ("POST", t, lambda: call("POST", t, body=other)),
        ("POST", t, lambda: call("POST", t, body=broken)),
        ("POST", t, lambda: call("POST", t, raw="{not json")),
        ("POST", t, lambda: call("POST", t)),
        ("POST", t, lambda: call("POST", t, raw=too_large)),
        ("POST", t, lambda: call("POST", t, body=EXAMPLE, key_id="key-nobody")),
        ("GET", one, lambda: call("GET", one, params={"transaction_id": EXAMPLE["transaction_id"]})),
        ("GET", one, lambda: call("GET", one, params={"transaction_id": "nope"})),
        ("GET", one, lambda: call("GET", one, params={"transaction_id": EXAMPLE["transaction_id"]}, key_id="key-globex")),
        ("GET", one, lambda: call("GET", one, params={"transaction_id": "x"}, key_id=None)),
        ("POST", u, lambda: call("POST", u, body={"format": "json"})),
        ("POST", u, lambda: call("POST", u)),
        ("POST", u, lambda: call("POST", u, body={"format": "xml"})),
        ("POST", u, lambda: call("POST", u, raw="x" * 2_000)),
        ("POST", u, lambda: call("POST", u, body={"format": "csv"}, key_id="key-nobody")),
        ("GET", f, lambda: call("GET", f, params={"file_id": file_id})),
        ("GET", f, lambda: call("GET", f, params={"file_id": file_id}, key_id="key-globex")),
        ("GET", f, lambda: call("GET", f, params={"file_id": "f-unknown"}, key_id="key-nobody")),
    ]


@pytest.mark.slow
def test_every_answer_of_the_handlers_is_documented_with_its_shape(env: None) -> None:
    # Given a registered file and the requests partners make, good and bad, to all four operations
    file_id = register_file()
    seen: set[tuple[str, str, int]] = set()
    # When each is answered by the real handler, Then the answer is documented and has the documented shape
    for method, path, request in requests(file_id):
        answer = request()
        check(method, path, answer)
        seen.add((method, path, answer[0]))
    # And every status a function documents was seen
    refusals_and_successes = {(m.upper(), p, int(s)) for p, ops in DOCUMENT["paths"].items() for m, op in ops.items()
                              for s, r in op["responses"].items() if s.isdigit()
                              and ("function" in r["content"]["application/json"].get("examples", {}) or int(s) < 300)}
    assert refusals_and_successes - seen == set()


@pytest.mark.slow
def test_a_file_status_record_shows_the_contract_version_that_judged_it(env: None) -> None:
    status, body = call("GET", routes.FILE, params={"file_id": register_file()})
    assert (status, body["contract_version"]) == (200, DOCUMENT["info"]["version"])

"""The four operations of the partner API: what each answers, from the handlers and the gateway's own errors.

Statuses a *function* answers are read from the handlers (a test runs them and checks every answer
against this table); statuses the *gateway* answers come from `stacks.api.errors.GATEWAY_ERRORS`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from contract.fields import EXAMPLE
from stacks.api.errors import GATEWAY_ERRORS, GatewayError
from txnpipe.api import routes, transactions, uploads
from txnpipe.domain import validate_record


@dataclass(frozen=True, kw_only=True)
class Refusal:
    """A function's own error answer: when it happens, and a real message and reasons (a test checks them)."""

    when: str
    message: str
    reasons: tuple[str, ...] = ()
    also: tuple[tuple[str, tuple[str, ...]], ...] = ()  #: other (message, reasons) the same status carries


@dataclass(frozen=True, kw_only=True)
class Operation:
    """One method on one path."""

    method: str
    path: str
    operation_id: str
    summary: str
    request: str | None  #: component schema of the body, if any
    success: dict[int, tuple[str, str]]  #: status → (component schema, when)
    refusals: dict[int, Refusal]  #: status → when the function refuses (body: Error)


_NO_PARTNER: Final = Refusal(when="the API key is valid but mapped to no partner", message="forbidden")
_BROKEN: Final = {**EXAMPLE, "amount": "10.505", "currency": "USD"}  # a rule's reason, from the rules themselves
OPERATIONS: Final = (
    Operation(
        method="POST", path=routes.TRANSACTIONS, operation_id="postTransaction", request="Transaction",
        summary="Submit one transaction; the same rules as a file row; idempotent on transaction_id.",
        success={201: ("TransactionStored", "stored"),
                 200: ("TransactionStored", "a retry with the same transaction_id and body: the first answer")},
        refusals={
            400: Refusal(when="the body is missing, not UTF-8, not JSON, not an object, or breaks a rule (reasons: "
                              "`<field>: <problem>`, the first failing field)",
                         message="invalid transaction", reasons=(str(validate_record(_BROKEN)),),
                         also=(("invalid request", ("body: required",)),)),
            403: _NO_PARTNER,
            409: Refusal(when="the transaction_id is stored already (from a file or the API) with other content",
                         message="transaction_id already used with a different body",
                         reasons=(f"transaction_id: {EXAMPLE['transaction_id']} exists",)),
            413: Refusal(when=f"the body is larger than {transactions.MAX_BODY_BYTES} bytes",
                         message="request body too large",
                         reasons=(f"body: larger than {transactions.MAX_BODY_BYTES} bytes",)),
        },
    ),
    Operation(
        method="GET", path=routes.TRANSACTION, operation_id="getTransaction", request=None,
        summary="A transaction the caller stored (through the API or a file).",
        success={200: ("StoredTransaction", "the transaction as sent plus what the pipeline derived")},
        refusals={403: _NO_PARTNER, 404: Refusal(when="no such transaction of the caller (another partner's looks "
                                                      "the same)", message="transaction not found")},
    ),
    Operation(
        method="POST", path=routes.UPLOADS, operation_id="createUpload", request="UploadRequest",
        summary="A presigned S3 PUT URL for one file (CSV or JSON), valid a few minutes.",
        success={201: ("UploadTarget", "PUT the file to upload_url with every header in headers")},
        refusals={
            400: Refusal(when="the body is not a JSON object, or format is not csv or json",
                         message="invalid request", reasons=("format: must be csv or json",)),
            403: _NO_PARTNER,
            413: Refusal(when=f"the body is larger than {uploads.MAX_BODY_BYTES} bytes", message="request body too large",
                         reasons=(f"body: larger than {uploads.MAX_BODY_BYTES} bytes",)),
        },
    ),
    Operation(
        method="GET", path=routes.FILE, operation_id="getFile", request=None,
        summary="Status, counts and reason of a file of the caller (the file_id from POST /uploads or the "
                "pipeline's own file id).",
        success={200: ("File", "the file's status record")},
        refusals={403: _NO_PARTNER, 404: Refusal(when="no such file of the caller (another partner's looks the same)",
                                                 message="file not found")},
    ),
)

#: Gateway responses that only some operations can get; every other type applies to all four.
_ONLY_WITH_BODY: Final = frozenset({"BAD_REQUEST_BODY", "REQUEST_TOO_LARGE"})
#: Never the answer of a routed operation: unknown routes, and path parameters (always present once routed).
NOT_PER_OPERATION: Final = frozenset({"MISSING_AUTHENTICATION_TOKEN", "BAD_REQUEST_PARAMETERS"})


#: When API Gateway answers each response type itself ("Gateway response types for API Gateway").
GATEWAY_WHEN: Final = {
    "BAD_REQUEST_BODY": "the body fails the gateway's request model (required fields, types, patterns, enums)",
    "BAD_REQUEST_PARAMETERS": "a required request parameter is missing",
    "MISSING_AUTHENTICATION_TOKEN": "no such route or method",
    "INVALID_API_KEY": "the API key header is missing or holds no key of this API's usage plans",
    "ACCESS_DENIED": "authorization refused the request",
    "WAF_FILTERED": "the web ACL blocked the request",
    "THROTTLED": "over the partner's usage-plan or the stage's rate or burst",
    "QUOTA_EXCEEDED": "over the partner's daily quota",
    "REQUEST_TOO_LARGE": "the body is over API Gateway's payload limit",
    "INTEGRATION_TIMEOUT": "the function did not answer within the integration timeout",
    "DEFAULT_4XX": "any other client error API Gateway answers itself",
    "DEFAULT_5XX": "a failure of API Gateway or of the function",
}


def gateway_when(error: GatewayError) -> str:
    """Why the gateway gives this answer; a response type without a description fails generation."""
    if error.response_type not in GATEWAY_WHEN:
        raise ValueError(f"contract.api_operations: describe gateway response {error.response_type} in GATEWAY_WHEN")
    return GATEWAY_WHEN[error.response_type]


def gateway_errors(operation: Operation) -> list[GatewayError]:
    """The gateway's own answers this operation can get, before or instead of its function."""
    return [
        error for error in GATEWAY_ERRORS
        if error.response_type not in NOT_PER_OPERATION
        and (operation.request is not None or error.response_type not in _ONLY_WITH_BODY)
    ]


def check_routes() -> None:
    """The table covers exactly the routes the stack deploys (`txnpipe.api.routes.OPERATIONS`)."""
    described = {(op.method, op.path) for op in OPERATIONS}
    if described != set(routes.OPERATIONS):
        raise ValueError(f"contract.api_operations describes {sorted(described)}, the API has "
                         f"{sorted(routes.OPERATIONS)}")

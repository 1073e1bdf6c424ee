"""After a real terraform deploy into the emulator: the partner API answers as docs/contract/openapi.json says.

schemathesis generates requests for all four operations from the published description, with a
partner's API key: bodies and path parameters that match it (positive) and that violate it
(negative), boundary cases from its coverage phase, and probes without a key or with an unknown
method. Every answer must be a documented status, of the documented content type and headers, with
a body matching its schema, and never a 5xx. A schema-violating request must be refused (4xx); a
schema-valid one must not be refused 400, except for a rule the description says it cannot express
(`api_fuzz_limits`). Uses the session's deployment (tests/e2e/conftest.py).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

import pytest
import schemathesis
from schemathesis import Case, CheckContext, GenerationMode, Response
from schemathesis.openapi.checks import RejectedPositiveData
from schemathesis.specs.openapi.checks import positive_data_acceptance

from contract.paths import OUT_DIR
from localcloud.scenario import FileOutcome, Pipeline, clean_csv, transaction
from tests.e2e.api_fuzz_limits import FIELD_OF_LIMIT, broken_limits, check_known
from tests.e2e.test_api_errors import partner_key
from txnpipe.api.routes import API_KEY_HEADER

pytestmark = pytest.mark.e2e

OPENAPI = OUT_DIR / "openapi.json"
MAX_EXAMPLES = 100  # per operation and phase: about 700 requests in all, a minute or two here
# acme's usage plan admits 50 requests/s (burst 100): half of it, so the fuzzing is answered, not throttled.
RATE_LIMIT = "25/s"
ANSWERS: defaultdict[str, Counter[int]] = defaultdict(Counter)

schema = schemathesis.openapi.from_path(OPENAPI)
schema.config.update(rate_limit=RATE_LIMIT, request_timeout=60)
schema.config.generation.update(modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE], max_examples=MAX_EXAMPLES,
                                database=":memory:",
                                # the real key on every request (`stage`); the ignored_auth check probes without it
                                with_security_parameters=False)


@dataclass(frozen=True)
class Stage:
    """Where the deployed stage answers, and acme's API key header."""

    url: str
    headers: dict[str, str]

    @property
    def call(self) -> dict[str, Any]:
        """The keyword arguments of `Case.call_and_validate` that send a request to this stage."""
        return {"base_url": self.url, "headers": self.headers}


@pytest.fixture(scope="module")
def stage(pipeline: Pipeline) -> Stage:
    check_known()
    assert pipeline.api_url is not None
    return Stage(pipeline.api_url, {API_KEY_HEADER: partner_key(pipeline, "acme")})


def positive_data_acceptance_within_documented_limits(ctx: CheckContext, response: Response, case: Case) -> bool | None:
    """schemathesis's positive_data_acceptance, except a 400 for a rule the description says it cannot state.

    That 400 must be the function's (`invalid transaction`), naming a field whose documented limit the
    body breaks; any other refusal of a schema-valid request fails as schemathesis reports it.
    """
    __tracebackhide__ = True
    try:
        return positive_data_acceptance(ctx, response, case)
    except RejectedPositiveData:
        answer: Any = response.json() if response.status_code == 400 else None
        reasons = answer.get("reasons") if isinstance(answer, dict) else None
        named = {FIELD_OF_LIMIT[key] for key in broken_limits(case.body)}
        if answer and answer.get("message") == "invalid transaction" and reasons and \
                reasons[0].split(":")[0] in named:
            return None
        raise


@schema.parametrize()
def test_every_answer_matches_the_description(case: Case, stage: Stage) -> None:
    response = case.call_and_validate(**stage.call, excluded_checks=[positive_data_acceptance],
                                      additional_checks=[positive_data_acceptance_within_documented_limits])
    ANSWERS[case.operation.label][response.status_code] += 1


def test_the_fuzzing_reached_every_operation_unthrottled() -> None:
    # Given the answers the fuzz test above received (it runs first, in file order)
    statuses = {label: dict(sorted(counts.items())) for label, counts in ANSWERS.items()}
    print(f"answers per operation: {statuses}")  # in the log with -rP: what the fuzzing reached
    # Then every operation was exercised, each got both acceptances and refusals, and throttling was rare
    assert sorted(statuses) == ["GET /files/{file_id}", "GET /transactions/{transaction_id}", "POST /transactions",
                                "POST /uploads"], statuses
    assert all(any(200 <= s < 300 for s in counts) for label, counts in statuses.items()
               if label.startswith("POST")), statuses
    assert all(any(400 <= s < 500 for s in counts) for counts in statuses.values()), statuses
    total = sum(sum(counts.values()) for counts in statuses.values())
    throttled = sum(counts.get(429, 0) for counts in statuses.values())
    assert throttled <= total // 20, statuses


def test_the_answers_for_stored_records_match_the_description(stage: Stage, pipeline: Pipeline) -> None:
    # Given a file of acme processed, a transaction posted and an upload URL issued (answers validated)
    key = "uploads/acme/e2e-fuzz-stored.csv"
    outcome = pipeline.wait_terminal(FileOutcome("fuzz", key), pipeline.upload(key, clean_csv(3)), timeout_s=120)
    stored = transaction("e2e-fuzz-stored")
    for path, body in (("/transactions", stored), ("/uploads", {"format": "json"})):
        schema[path]["POST"].Case(body=body, media_type="application/json").call_and_validate(**stage.call)
    # When each record is read back through the API (the answers validated against the description)
    reads = {"/transactions/{transaction_id}": {"transaction_id": stored["transaction_id"]},
             "/files/{file_id}": {"file_id": str(outcome.item.get("file_id"))}}
    answers = [schema[path]["GET"].Case(path_parameters=ids).call_and_validate(**stage.call) for path, ids in reads.items()]
    # Then both are found
    assert [answer.status_code for answer in answers] == [200, 200], [answer.text for answer in answers]

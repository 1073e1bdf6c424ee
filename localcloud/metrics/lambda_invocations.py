"""`AWS/Lambda` invocation metrics, one set per invocation the runtime ran.

AWS (Lambda Developer Guide, "Types of metrics for Lambda functions" / "Viewing metrics for Lambda
functions"): invocation metrics are "binary indicators of the outcome of a Lambda function
invocation": `Invocations` (Count, 1 per invocation, failed ones included), `Errors` (Count, 1 for
a function error: exceptions the code throws and those the runtime throws, "such as timeouts and
configuration errors", else 0), `Duration` (Milliseconds, the time the function code spent). They
are published under `FunctionName`, `FunctionName,Resource` (Resource: the function name, or
`name:qualifier` for a version) and without dimensions (the account's aggregate).

`Throttles` are not published: the emulator never throttles an invocation (reserved concurrency is
checked against the account quota at PutFunctionConcurrency, not enforced at invoke time; see the
README's limitations), so the count would always be 0.
"""

from __future__ import annotations

from typing import Any

from localcloud.metrics.publish import Datum, put_data

NAMESPACE = "AWS/Lambda"


def dimension_sets(function_name: str, version: str) -> list[dict[str, str]]:
    """The dimension sets Lambda publishes an invocation under."""
    resource = function_name if version in ("", "$LATEST") else f"{function_name}:{version}"
    return [{}, {"FunctionName": function_name}, {"FunctionName": function_name, "Resource": resource}]


def datapoints(function_name: str, version: str, *, error: bool, duration_s: float) -> list[Datum]:
    """Invocations, Errors and Duration of one invocation, under every dimension set."""
    return [
        datum
        for dims in dimension_sets(function_name, version)
        for datum in (Datum("Invocations", 1, "Count", dims), Datum("Errors", 1 if error else 0, "Count", dims),
                      Datum("Duration", round(duration_s * 1000, 2), "Milliseconds", dims))
    ]


def publish(fn: Any, *, error: bool, duration_s: float) -> None:
    """Publish the invocation of `fn` (a moto LambdaFunction)."""
    data = datapoints(fn.function_name, str(getattr(fn, "version", "$LATEST")), error=error, duration_s=duration_s)
    put_data(fn.account_id, fn.region, NAMESPACE, data)

"""Addition: Lambda's account concurrency quota, so the emulator refuses a reservation AWS would refuse.

AWS: reserved concurrency comes out of the account's regional `ConcurrentExecutions` quota (1,000 by
default) and "Lambda automatically reserves a buffer of 100 concurrent executions for functions
without any reserved concurrency limit" (AWS Lambda API Reference, PutFunctionConcurrency;
Developer Guide, "Configuring reserved concurrency for a function"). A `PutFunctionConcurrency`
that would leave less answers 400 `InvalidParameterValueException` "Specified
ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below
its minimum value of [100]." `GetAccountSettings` reports `ConcurrentExecutions` and
`UnreservedConcurrentExecutions`.

moto 5.2.5 enforces this only when `MOTO_LAMBDA_CONCURRENCY_QUOTA` is set (default: no quota) and
has no `GetAccountSettings` route. Here the quota is always on: `quota()` is
`LOCALCLOUD_LAMBDA_CONCURRENCY_QUOTA` or 1,000, and tests may set `QUOTA_OVERRIDE`.
The AWS provider creates a function with `CreateFunction` (which has no reserved-concurrency field)
and then calls `PutFunctionConcurrency`, so that one call carries the check.
"""

from __future__ import annotations

import json
import os
from typing import Any

DEFAULT_QUOTA = 1000
MIN_UNRESERVED = 100
QUOTA_ENV = "LOCALCLOUD_LAMBDA_CONCURRENCY_QUOTA"
QUOTA_OVERRIDE: int | None = None  # set by tests; wins over the environment
# Documented Lambda quotas (Developer Guide, "Lambda quotas"): 75 GB storage, 250 MB unzipped, 50 MB zipped.
_CODE_LIMITS = {"TotalCodeSize": 80_530_636_800, "CodeSizeUnzipped": 262_144_000, "CodeSizeZipped": 52_428_800}
BELOW_MINIMUM = ("Specified ReservedConcurrentExecutions for function decreases account's "
                 f"UnreservedConcurrentExecution below its minimum value of [{MIN_UNRESERVED}].")


def quota() -> int:
    """The account's ConcurrentExecutions quota the emulator enforces."""
    return QUOTA_OVERRIDE if QUOTA_OVERRIDE is not None else int(os.environ.get(QUOTA_ENV, DEFAULT_QUOTA))


def reserved_elsewhere(backend: Any, function_name: str) -> int:
    """Concurrency reserved by every function of this account and Region except `function_name`."""
    return sum(int(fn.reserved_concurrency) for fn in backend.list_functions()
               if fn.reserved_concurrency is not None and fn.function_name != function_name)


def _put_function_concurrency(self: Any, function_name: str, reserved_concurrency: Any) -> Any:
    from moto.awslambda.exceptions import InvalidParameterValueException

    fn = self.get_function(function_name)
    if quota() - reserved_elsewhere(self, fn.function_name) - int(reserved_concurrency) < MIN_UNRESERVED:
        raise InvalidParameterValueException(BELOW_MINIMUM)
    fn.reserved_concurrency = int(reserved_concurrency)
    return fn.reserved_concurrency


def _get_account_settings(self: Any) -> tuple[int, dict[str, str], str]:
    functions = list(self.backend.list_functions())
    limit = {**_CODE_LIMITS, "ConcurrentExecutions": quota(),
             "UnreservedConcurrentExecutions": quota() - reserved_elsewhere(self.backend, "")}
    usage = {"TotalCodeSize": sum(int(fn.code_size or 0) for fn in functions), "FunctionCount": len(functions)}
    return 200, {}, json.dumps({"AccountLimit": limit, "AccountUsage": usage})


def install() -> None:
    """Enforce the quota in PutFunctionConcurrency; route and answer GetAccountSettings."""
    from moto.awslambda import urls
    from moto.awslambda.models import LambdaBackend
    from moto.awslambda.responses import LambdaResponse

    LambdaBackend.put_function_concurrency = _put_function_concurrency  # type: ignore[method-assign]
    LambdaResponse.get_account_settings = _get_account_settings  # type: ignore[attr-defined]
    urls.url_paths[r"{0}/(?P<api_version>[^/]+)/account-settings/?$"] = LambdaResponse.dispatch

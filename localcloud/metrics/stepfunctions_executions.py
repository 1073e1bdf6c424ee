"""`AWS/States` execution metrics: one datapoint when an execution starts, one set when it closes.

AWS (Step Functions Developer Guide, "Monitoring Step Functions metrics using Amazon CloudWatch",
Execution metrics, dimension `StateMachineArn`): `ExecutionsStarted`, `ExecutionsSucceeded`,
`ExecutionsFailed`, `ExecutionsTimedOut`, `ExecutionsAborted` (Count) and `ExecutionTime`
("the interval, in milliseconds, between the time the execution starts and the time it closes").
`ExecutionThrottled` is not published: the emulator never throttles StartExecution.
"""

from __future__ import annotations

import datetime
from typing import Any

from localcloud.metrics.publish import Datum, put_data

NAMESPACE = "AWS/States"
CLOSED = {"SUCCEEDED": "ExecutionsSucceeded", "FAILED": "ExecutionsFailed", "TIMED_OUT": "ExecutionsTimedOut",
          "ABORTED": "ExecutionsAborted"}


def state_machine_arn(execution: Any) -> str:
    """The execution's state machine ARN, without a version or alias qualifier."""
    return ":".join(str(execution.state_machine_arn).split(":")[:7])


def _milliseconds(start: datetime.datetime, stop: datetime.datetime) -> float:
    return round((stop - start).total_seconds() * 1000, 3)


def started(execution: Any) -> None:
    """Publish `ExecutionsStarted` for a moto parser `Execution`."""
    dims = {"StateMachineArn": state_machine_arn(execution)}
    put_data(execution.account_id, execution.region_name, NAMESPACE, [Datum("ExecutionsStarted", 1, "Count", dims)])


def closed(execution: Any) -> None:
    """Publish the closed execution's status count and `ExecutionTime`."""
    status = getattr(execution.exec_status, "value", str(execution.exec_status))
    if status not in CLOSED:
        return
    dims = {"StateMachineArn": state_machine_arn(execution)}
    data = [Datum(CLOSED[status], 1, "Count", dims)]
    if execution.start_date is not None and execution.stop_date is not None:
        data.append(Datum("ExecutionTime", _milliseconds(execution.start_date, execution.stop_date), "Milliseconds", dims))
    put_data(execution.account_id, execution.region_name, NAMESPACE, data)

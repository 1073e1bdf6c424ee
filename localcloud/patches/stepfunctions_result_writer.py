"""Addition: Distributed Map map runs as AWS ends them: ResultWriter files and the failure threshold.

Followed: AWS Step Functions Developer Guide, "ResultWriter (Map)" (exporting to Amazon S3; the
manifest and result files). moto 5.2.5 parses ResultWriter but writes a manifest with no result
files (its code says "TODO: generate result files"). Here, for `arn:aws:states:::s3:putObject`
with `Bucket` and `Prefix`:

* `<Prefix>/<map run id>/SUCCEEDED_0.json` and `FAILED_0.json` (only when there are such
  executions): a JSON array, one record per child execution with `ExecutionArn`, `Name`,
  `StateMachineArn`, `Input`/`Output` as JSON *strings*, `InputDetails`/`OutputDetails`
  (`{"Included": true}`), `Status`, `StartDate`/`StopDate`, the redrive fields, and `Error`/`Cause`
  for failures. (AWS starts a new file at 5 GB; one file each is all the emulator needs.)
* `<Prefix>/<map run id>/manifest.json`: `DestinationBucket`, `MapRunArn` and `ResultFiles`
  (`SUCCEEDED`/`FAILED`/`PENDING`, each a list of `{"Key", "Size"}`).
* The state's result is `{"MapRunArn": ..., "ResultWriterDetails": {"Bucket": ..., "Key": <manifest key>}}`
  instead of the array of child outputs.

Failure threshold (Developer Guide, "Setting failure thresholds for Distributed Map states"): the
map run fails with `States.ExceedToleratedFailureThreshold` when more child executions failed
than `ToleratedFailureCount` or `ToleratedFailurePercentage` allow (both default to 0: any failure).
moto 5.2.5 ignored both ("currently have no effect"), so a map whose children all failed succeeded.
"""

from __future__ import annotations

import datetime
import json
import uuid
from typing import Any


def _now() -> str:
    return datetime.datetime.now(tz=datetime.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _record(record: Any, child: dict[str, Any]) -> dict[str, Any]:
    """One child execution as AWS writes it into a result file."""
    name = str(uuid.uuid5(uuid.NAMESPACE_URL, f"{record.map_run_arn}/{child['index']}"))
    entry: dict[str, Any] = {
        "ExecutionArn": f"{record.map_run_arn.replace(':mapRun:', ':execution:', 1)}:{name}", "Name": name,
        "StateMachineArn": record.map_state_machine_arn, "Status": child["status"],
        "Input": json.dumps(child["input"], separators=(",", ":")), "InputDetails": {"Included": True},
        "StartDate": child["start"], "StopDate": child["stop"], "RedriveCount": 0, "RedriveStatus": "NOT_REDRIVABLE",
        "RedriveStatusReason": f"Execution is {child['status']} and cannot be redriven",
    }
    if child["status"] == "SUCCEEDED":
        entry.update(Output=json.dumps(child["output"], separators=(",", ":")), OutputDetails={"Included": True})
    else:
        entry.update(Error=child.get("error") or "States.TaskFailed", Cause=child.get("cause") or "")
    return entry


def _handle_put_object(env: Any, resource_runtime_part: Any, state_credentials: Any) -> None:
    """Replacement for moto's ResourceEvalS3._handle_put_object (the ResultWriter's S3 export)."""
    from moto.stepfunctions.parser.asl.component.state.exec.state_map.result_writer.resource_eval.resource_eval_s3 import (
        ResourceEvalS3,
    )

    parameters = env.stack.pop()
    env.stack.pop()  # the child outputs: replaced by the files below
    s3 = ResourceEvalS3._get_s3_client(resource_runtime_part=resource_runtime_part, state_credentials=state_credentials)
    record = env.map_run_record_pool_manager.get_all()[-1]
    prefix = parameters.get("Prefix", "")
    folder = f"{prefix.rstrip('/')}/{record.map_run_arn.split(':')[-1]}" if prefix else record.map_run_arn.split(":")[-1]
    children = sorted(getattr(record, "_localcloud_children", []), key=lambda c: c["index"])
    files: dict[str, list[dict[str, Any]]] = {"FAILED": [], "PENDING": [], "SUCCEEDED": []}
    for status in ("SUCCEEDED", "FAILED"):
        entries = [_record(record, c) for c in children if c["status"] == status]
        if entries:
            key, body = f"{folder}/{status}_0.json", json.dumps(entries).encode()
            s3.put_object(Bucket=parameters["Bucket"], Key=key, Body=body)
            files[status].append({"Key": key, "Size": len(body)})
    manifest = {"DestinationBucket": parameters["Bucket"], "MapRunArn": record.map_run_arn, "ResultFiles": files}
    key = f"{folder}/manifest.json"
    s3.put_object(Bucket=parameters["Bucket"], Key=key, Body=json.dumps(manifest, indent=2).encode())
    env.stack.append({"MapRunArn": record.map_run_arn, "ResultWriterDetails": {"Bucket": parameters["Bucket"], "Key": key}})


def _install_child_records() -> None:
    """Record each child execution's input (after ItemSelector), output, status and times on its map run."""
    from moto.stepfunctions.parser.asl.component.state.exec.state_map.iteration.itemprocessor import (
        distributed_item_processor_worker as worker_module,
    )
    from moto.stepfunctions.parser.asl.eval.program_state import ProgramError

    worker = worker_module.DistributedItemProcessorWorker
    if getattr(worker._eval_job, "_localcloud", False):
        return
    original_job, original_input = worker._eval_job, worker._eval_input

    def _eval_input(self: Any, env_frame: Any) -> None:
        original_input(self, env_frame)
        env_frame._localcloud_child_input = env_frame.states.get_input()

    def _eval_job(self: Any, env: Any, job: Any) -> None:
        start = _now()
        original_job(self, env, job)
        state = env.program_state()
        failed = isinstance(state, ProgramError) or job.job_output is None
        error = state.error if isinstance(state, ProgramError) and state.error else {}
        child = {"index": job.job_index, "input": getattr(env, "_localcloud_child_input", job.job_input),
                 "output": job.job_output, "status": "FAILED" if failed else "SUCCEEDED", "start": start, "stop": _now(),
                 "error": error.get("error"), "cause": error.get("cause")}
        record = self._map_run_record
        with self._job_pool._mutex:
            if not hasattr(record, "_localcloud_children"):
                record._localcloud_children = []
            record._localcloud_children.append(child)

    for fn in (_eval_input, _eval_job):
        fn._localcloud = True  # type: ignore[attr-defined]
    worker._eval_input = _eval_input  # type: ignore[method-assign]
    worker._eval_job = _eval_job  # type: ignore[method-assign]


THRESHOLD_CAUSE = "The specified tolerated failure threshold was exceeded"


def exceeds_threshold(*, failed: int, total: int, tolerated_count: int, tolerated_percentage: float) -> bool:
    """Whether failures pass the threshold, given moto's values (an undeclared threshold is 0).

    AWS applies the declared thresholds (none declared: no failure tolerated). With an undeclared one
    read as 0, requiring both to be passed gives that rule, except when both are declared (then AWS
    fails on either; the pipeline declares only the percentage).
    """
    return failed > tolerated_count and total > 0 and 100.0 * failed / total > tolerated_percentage


def _install_failure_threshold() -> None:
    from moto.stepfunctions.parser.api import ExecutionFailedEventDetails, HistoryEventType
    from moto.stepfunctions.parser.asl.component.common.error_name.failure_event import FailureEvent, FailureEventException
    from moto.stepfunctions.parser.asl.component.common.error_name.states_error_name import StatesErrorName
    from moto.stepfunctions.parser.asl.component.common.error_name.states_error_name_type import StatesErrorNameType
    from moto.stepfunctions.parser.asl.component.state.exec.state_map.iteration.distributed_iteration_component import (
        DistributedIterationComponent,
    )
    from moto.stepfunctions.parser.asl.eval.event.event_detail import EventDetails

    original = DistributedIterationComponent._map_run
    if getattr(original, "_localcloud", False):
        return

    def _map_run(self: Any, env: Any, eval_input: Any) -> None:
        original(self, env, eval_input)
        counter = eval_input.map_run_record.item_counter
        failed, total = counter.failed.get() + counter.timed_out.get(), counter.total.get()
        if failed and exceeds_threshold(failed=failed, total=total, tolerated_count=eval_input.tolerated_failure_count,
                                        tolerated_percentage=eval_input.tolerated_failure_percentage):
            name = StatesErrorName(typ=StatesErrorNameType.StatesExceedToleratedFailureThreshold)
            details = ExecutionFailedEventDetails(error=name.error_name, cause=THRESHOLD_CAUSE)
            raise FailureEventException(failure_event=FailureEvent(
                env=env, error_name=name, event_type=HistoryEventType.MapRunFailed,
                event_details=EventDetails(executionFailedEventDetails=details)))

    _map_run._localcloud = True  # type: ignore[attr-defined]
    DistributedIterationComponent._map_run = _map_run  # type: ignore[method-assign]


def install() -> None:
    """Write ResultWriter's result files and manifest like AWS; fail map runs past their failure threshold."""
    from moto.stepfunctions.parser.asl.component.state.exec.state_map.result_writer.resource_eval.resource_eval_s3 import (
        ResourceEvalS3,
    )

    _install_child_records()
    _install_failure_threshold()
    ResourceEvalS3._handle_put_object = staticmethod(_handle_put_object)  # type: ignore[assignment]

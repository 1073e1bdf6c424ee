"""Addition: Distributed Map `ResultWriter` writes the child executions' results to S3 as AWS does.

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


def install() -> None:
    """Write ResultWriter's result files and manifest like AWS."""
    from moto.stepfunctions.parser.asl.component.state.exec.state_map.result_writer.resource_eval.resource_eval_s3 import (
        ResourceEvalS3,
    )

    _install_child_records()
    ResourceEvalS3._handle_put_object = staticmethod(_handle_put_object)  # type: ignore[assignment]

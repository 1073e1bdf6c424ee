"""What crosses the seam between the file state machine and its handlers through S3, defined once.

Step Functions passes at most 256 KiB between states and keeps at most 25,000 history events
per execution, so nothing that grows with a file's dates x chunks travels in the state: the
processed Parquet keys are a JSON array object in the work (artifacts) bucket, read by the
Distributed Map `LoadTransactions`; chunk results are written by `ValidateChunks`' ResultWriter.
The stack (`stacks/processing/definition.py`) and the handlers import these names; the keys and prefixes
of the work bucket are in `txnpipe.layout`, the result that points at them in `txnpipe.file_validation`.
"""

from __future__ import annotations

import json
from typing import Any

# Input field of merge_chunks: ValidateChunks' ResultWriterDetails ({"Bucket", "Key"} of manifest.json).
CHUNK_RESULTS = "chunk_results"


def write_keys(s3: Any, bucket: str, key: str, keys: list[str]) -> str:
    """Write `keys` as a JSON array object (what a Distributed Map ItemReader with InputType JSON reads)."""
    s3.put_object(Bucket=bucket, Key=key, Body=json.dumps(keys).encode(), ContentType="application/json")
    return key


def read_keys(s3: Any, bucket: str, key: str) -> list[str]:
    """Read a manifest written by :func:`write_keys`; anything but a JSON array of strings is an error."""
    keys = json.loads(s3.get_object(Bucket=bucket, Key=key)["Body"].read())
    if not isinstance(keys, list) or not all(isinstance(k, str) for k in keys):
        raise ValueError(f"{bucket}/{key}: expected a JSON array of object keys")
    return keys


def read_map_results(s3: Any, details: dict[str, str]) -> list[dict[str, Any]]:
    """The outputs of a Distributed Map's succeeded child executions, from its ResultWriter files.

    `details` is the state's `ResultWriterDetails`; the manifest lists `ResultFiles.SUCCEEDED`,
    each a JSON array of executions whose `Output` is a JSON string (AWS "ResultWriter (Map)").
    A failed or pending child is an error: the map tolerates no failures.
    """
    manifest = json.loads(s3.get_object(Bucket=details["Bucket"], Key=details["Key"])["Body"].read())
    files = manifest["ResultFiles"]
    if files.get("FAILED") or files.get("PENDING"):
        raise ValueError(f"{details['Key']}: the map run has failed or pending child executions")
    outputs = []
    for entry in files.get("SUCCEEDED", []):
        executions = json.loads(s3.get_object(Bucket=manifest["DestinationBucket"], Key=entry["Key"])["Body"].read())
        outputs += [json.loads(e["Output"]) for e in executions]
    return outputs

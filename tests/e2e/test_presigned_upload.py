"""The partner upload as the README documents it, against the deployed pipeline in the emulator.

Presigned: POST /uploads with the partner's API key -> `curl -X PUT` with every header the answer
lists -> poll GET /files/{id} until terminal. Direct: boto3 with SSE-KMS and the pipeline's key. And
what S3 refuses: a PUT without the signed headers, an expired URL, a direct PUT without SSE headers.
"""

from __future__ import annotations

import subprocess
import time
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from localcloud.scenario import TERMINAL, FileOutcome, Pipeline, clean_csv, csv_with_bad_rows

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def api_key(pipeline: Pipeline) -> str:
    assert pipeline.api_url, "the api stack has a REST API stage"
    return next(v for k, v in pipeline.api_keys.items() if "acme" in k)


def _new_upload(pipeline: Pipeline, api_key: str, fmt: str = "csv") -> dict[str, Any]:
    status, body = pipeline.call("POST", "/uploads", {"format": fmt}, key=api_key)
    assert status == 201, body
    return dict(body)


def _curl_put(upload: dict[str, Any], path: Path, *, headers: bool = True) -> subprocess.CompletedProcess[str]:
    sent = [arg for name, value in upload["headers"].items() for arg in ("-H", f"{name}: {value}")] if headers else []
    return subprocess.run(["curl", "-sS", "--fail-with-body", "-X", upload["method"], *sent, "--data-binary", f"@{path}",
                           upload["upload_url"]], capture_output=True, text=True, timeout=60, check=False)


def _poll_file(pipeline: Pipeline, api_key: str, status_url: str, timeout_s: float = 120) -> dict[str, Any]:
    deadline, last = time.time() + timeout_s, None
    while time.time() < deadline:
        code, last = pipeline.call("GET", status_url, key=api_key)
        if code == 200 and last.get("status") in TERMINAL:
            return dict(last)
        time.sleep(1)
    raise AssertionError(f"{status_url}: no terminal status after {timeout_s:.0f}s (last: {last})")


def _counts(view: dict[str, Any]) -> tuple[int, int, int]:
    return int(view["rows_total"]), int(view["rows_valid"]), int(view["rows_rejected"])


def test_presigned_upload_with_curl_is_processed(pipeline: Pipeline, api_key: str, tmp_path: Path) -> None:
    # Given a presigned upload for a CSV with 8 good and 5 bad rows
    upload = _new_upload(pipeline, api_key)
    path = tmp_path / "partner.csv"
    path.write_bytes(csv_with_bad_rows().replace(b"mixed-", b"presigned-"))
    # When the partner PUTs it with curl exactly as documented
    done = _curl_put(upload, path)
    assert done.returncode == 0, done.stdout + done.stderr
    # Then GET /files/{id} reaches the terminal status with the right counts
    view = _poll_file(pipeline, api_key, upload["status_url"])
    assert view["status"] == "COMPLETED_WITH_ERRORS", view
    assert _counts(view) == (13, 8, 5)


def test_stored_object_is_the_file_byte_for_byte(pipeline: Pipeline, api_key: str, tmp_path: Path) -> None:
    upload = _new_upload(pipeline, api_key)
    path = tmp_path / "bytes.csv"
    path.write_bytes(clean_csv(3).replace(b"clean-", b"bytes-"))
    assert _curl_put(upload, path).returncode == 0
    stored = boto3.client("s3").get_object(Bucket=pipeline.buckets["raw"], Key=upload["key"])
    assert stored["Body"].read() == path.read_bytes()


def test_curl_put_without_the_signed_headers_does_not_match(pipeline: Pipeline, api_key: str, tmp_path: Path) -> None:
    upload = _new_upload(pipeline, api_key)
    path = tmp_path / "nohdr.csv"
    path.write_bytes(clean_csv(2))
    done = _curl_put(upload, path, headers=False)
    assert done.returncode != 0
    assert "<Code>SignatureDoesNotMatch</Code>" in done.stdout


def test_put_after_expiry_is_refused(pipeline: Pipeline, api_key: str, tmp_path: Path) -> None:
    # Given a URL with the function's parameters but ExpiresIn=1 (the function's 300 s is too long to wait)
    upload = _new_upload(pipeline, api_key)
    signer = boto3.client("s3", config=Config(signature_version="s3v4"))
    url = signer.generate_presigned_url("put_object", ExpiresIn=1, HttpMethod="PUT", Params={
        "Bucket": pipeline.buckets["raw"], "Key": upload["key"], **pipeline.upload_args()})
    path = tmp_path / "late.csv"
    path.write_bytes(clean_csv(2))
    time.sleep(2.1)
    done = _curl_put({**upload, "upload_url": url}, path)
    assert done.returncode != 0
    assert "<Message>Request has expired</Message>" in done.stdout


def test_direct_put_without_sse_headers_is_denied(pipeline: Pipeline) -> None:
    with pytest.raises(ClientError) as error:
        boto3.client("s3").put_object(Bucket=pipeline.buckets["raw"], Key="uploads/acme/e2e-plain.csv", Body=clean_csv(2))
    assert error.value.response["Error"]["Code"] == "AccessDenied"


def test_documented_direct_upload_is_processed(pipeline: Pipeline, tmp_path: Path) -> None:
    # Given the boto3 call `make up` prints (SSE-KMS with the pipeline's key)
    key = "uploads/acme/e2e-direct.csv"
    path = tmp_path / "direct.csv"
    path.write_bytes(clean_csv(5).replace(b"clean-", b"direct-"))
    started = time.time()
    boto3.client("s3").upload_file(str(path), pipeline.buckets["raw"], key, ExtraArgs=pipeline.upload_args())
    # Then the file is processed
    outcome = pipeline.wait_terminal(FileOutcome("direct", key), started, timeout_s=120)
    assert outcome.status == "COMPLETED", outcome
    assert _counts(outcome.item) == (5, 5, 0)

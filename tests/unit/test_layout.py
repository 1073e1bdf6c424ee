"""The storage layout the stacks grant on and the handlers write: keys as the README and the Glue table expect."""

from __future__ import annotations

from txnpipe.layout import bucket_name, chunk_plan_key, processed_manifest_key, quarantine_key


def test_manifest_keys_are_per_file_and_per_chunk() -> None:
    # Given a file id, When its manifest keys are formed, Then a chunk's key carries the chunk suffix
    assert processed_manifest_key("f-1") == "manifests/f-1/processed.json"
    assert processed_manifest_key("f-1", "-c00002") == "manifests/f-1/processed-c00002.json"


def test_quarantine_keys_are_per_partner_and_file() -> None:
    # Given a partner's file, When its quarantine keys are formed, Then they sit under rejected/partner_id=<p>/
    assert quarantine_key(partner_id="p1", file_id="f-1") == "rejected/partner_id=p1/f-1.jsonl"
    assert quarantine_key(partner_id="p1", file_id="f-1", suffix="-c00003") == "rejected/partner_id=p1/f-1-c00003.jsonl"


def test_a_chunk_plan_is_one_object_per_file() -> None:
    # Given a file id, When its chunk plan key is formed, Then it is under chunks/<file_id>/
    assert chunk_plan_key("f-1") == "chunks/f-1/manifest.json"


def test_a_bucket_name_ends_with_the_account_id() -> None:
    # Given a workspace-qualified name and an account, When the bucket is named, Then the account id is appended
    assert bucket_name("txnpipe-raw-dev", "111122223333") == "txnpipe-raw-dev-111122223333"

"""Addition: object versions in a versioning-suspended bucket behave as S3 documents.

`terraform destroy` removes `aws_s3_bucket_versioning` before the bucket, which suspends versioning,
and then `force_destroy` deletes every object version by its VersionId. moto 5.2.5 treats a
suspended bucket as never versioned: a DELETE with a VersionId dropped all versions of the key, and
crashed (`'FakeDeleteMarker' object has no attribute 'dispose'`) when one was a delete marker, so
the destroy retried until it timed out. S3 User Guide, "Deleting objects from versioning-suspended
buckets": a DELETE with a version ID permanently deletes that version; a simple DELETE removes only
the `null` version and inserts a delete marker with version ID `null`. "Adding objects to
versioning-suspended buckets": a PUT replaces only the `null` version, older versions stay.
"""

from __future__ import annotations

from typing import Any

NULL = "null"


def _suspended(backend: Any, bucket_name: str) -> Any | None:
    bucket = backend.get_bucket(bucket_name)
    return bucket if bucket.versioning_status == "Suspended" else None


def _versions(bucket: Any, key_name: str) -> list[Any]:
    return list(bucket.keys.getlist(key_name, []))


def _delete_version(bucket: Any, key_name: str, version_id: str) -> bool:
    """Permanently delete one version; False when the key or that version does not exist."""
    versions = _versions(bucket, key_name)
    kept = [v for v in versions if str(v.version_id) != str(version_id)]
    if len(kept) == len(versions):
        return False
    for gone in (v for v in versions if v not in kept):
        if hasattr(gone, "dispose"):
            gone.dispose()
    if kept:
        bucket.keys.setlist(key_name, kept)
    else:
        dict.pop(bucket.keys, key_name)
    return True


def _insert_null_marker(bucket: Any, key_name: str) -> Any:
    """Replace the `null` version (if any) by a delete marker whose version ID is `null`."""
    from moto.s3.models import FakeDeleteMarker

    versions = _versions(bucket, key_name)
    if not versions:
        return None
    marker = FakeDeleteMarker(key=versions[-1])
    marker._version_id = NULL
    kept = [v for v in versions if str(v.version_id) != NULL]
    bucket.keys.setlist(key_name, [*kept, marker])
    return marker


def install() -> None:
    """Route deletes and puts in suspended buckets through S3's documented semantics."""
    from moto.s3.models import FakeDeleteMarker, S3Backend

    delete_object, put_object = S3Backend.delete_object, S3Backend.put_object
    if getattr(delete_object, "_localcloud", False):
        return
    # A delete marker holds no body; moto's key store disposes every version it pops.
    FakeDeleteMarker.dispose = lambda self, garbage=False: None  # type: ignore[attr-defined]

    def delete_in_suspended(self: Any, bucket_name: str, key_name: str, version_id: str | None = None,
                            bypass: bool = False) -> tuple[bool, dict[str, Any]]:
        bucket = _suspended(self, bucket_name)
        if bucket is None:
            return delete_object(self, bucket_name, key_name, version_id=version_id, bypass=bypass)  # type: ignore[no-any-return]
        if version_id is not None:
            return _delete_version(bucket, key_name, version_id), {"version-id": version_id}
        marker = _insert_null_marker(bucket, key_name)
        return True, ({"version-id": NULL, "delete-marker": "true"} if marker is not None else {})

    def put_in_suspended(self: Any, bucket_name: str, key_name: str, *args: Any, **kwargs: Any) -> Any:
        bucket = _suspended(self, bucket_name)
        older = [v for v in _versions(bucket, key_name) if str(v.version_id) != NULL] if bucket else []
        new_key = put_object(self, bucket_name, key_name, *args, **kwargs)
        if older:
            bucket.keys.setlist(key_name, [*older, new_key])
        return new_key

    delete_in_suspended._localcloud = True  # type: ignore[attr-defined]
    S3Backend.delete_object = delete_in_suspended  # type: ignore[method-assign]
    S3Backend.put_object = put_in_suspended  # type: ignore[method-assign]

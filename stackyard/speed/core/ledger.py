"""Every object version a run writes, and the clean-up that removes them all: exact versions (a plain delete in a
versioned bucket only hides the data behind a delete marker), open multipart uploads aborted, and a final listing
under the run's prefix that proves nothing is left."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from botocore.exceptions import ClientError


@dataclass
class Ledger:
    bucket: str
    prefix: str
    """The run's own prefix (stackyard-speed/<run id>/): nothing else is ever deleted."""
    versions: list[tuple[str, str | None]] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def written(self, key: str, s3: Any) -> str | None:
        """Record the key's current version (None in an unversioned bucket)."""
        version_id = s3.head_object(Bucket=self.bucket, Key=key).get("VersionId")
        with self._lock:
            self.versions.append((key, version_id if version_id not in (None, "null") else None))
        return version_id

    def clean_up(self, s3: Any) -> int:
        """Abort open uploads and delete every version and delete marker under the prefix (the ledger's and any a
        cut-off transfer left); returns how many remain afterwards (0 is the promise)."""
        for upload in _open_uploads(s3, self.bucket, self.prefix):
            with _unless_gone():
                s3.abort_multipart_upload(Bucket=self.bucket, Key=upload["Key"], UploadId=upload["UploadId"])
        for key, version_id in dict.fromkeys([*self.versions, *_versions(s3, self.bucket, self.prefix)]):
            arguments = {"Bucket": self.bucket, "Key": key} | ({"VersionId": version_id} if version_id else {})
            with _unless_gone():
                s3.delete_object(**arguments)
        with self._lock:
            self.versions.clear()
        return self.remaining(s3)

    def remaining(self, s3: Any) -> int:
        return len(_versions(s3, self.bucket, self.prefix)) + len(_open_uploads(s3, self.bucket, self.prefix))


@contextlib.contextmanager
def _unless_gone() -> Iterator[None]:
    """What is already gone (aborted or deleted by an earlier pass) is what the clean-up wants."""
    try:
        yield
    except ClientError as error:
        if error.response["Error"].get("Code") not in ("NoSuchUpload", "NoSuchKey", "NoSuchVersion", "404"):
            raise


def _versions(s3: Any, bucket: str, prefix: str) -> list[tuple[str, str | None]]:
    found = []
    for page in s3.get_paginator("list_object_versions").paginate(Bucket=bucket, Prefix=prefix):
        for entry in [*page.get("Versions", []), *page.get("DeleteMarkers", [])]:
            version_id = entry.get("VersionId")
            found.append((entry["Key"], version_id if version_id not in (None, "null") else None))
    return found


def _open_uploads(s3: Any, bucket: str, prefix: str) -> list[dict[str, Any]]:
    return s3.list_multipart_uploads(Bucket=bucket, Prefix=prefix).get("Uploads", [])

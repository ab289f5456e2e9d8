"""store-round-trip: the platform's own store test (seed 000) - write a small file, read it back, delete it."""

from __future__ import annotations

import hashlib
import os
import time

from botocore.exceptions import ClientError

from stackyard.checks.core.base import Check, Outcome, Severity, failed, passed
from stackyard.checks.core.context import VerifyContext

PAYLOAD_BYTES = 1024 * 1024
CHECK_PREFIX = "stackyard-verify"


class StoreRoundTrip(Check):
    id = "store-round-trip"
    title = "Store user can write, read back and delete a test object"
    seed = "000"
    severity = Severity.CRITICAL
    remediation = (
        "Give the store user s3:PutObject/GetObject/DeleteObject on the bucket and its objects (seed 000's "
        "inline policy) and check its access key: `cdktf deploy data`"
    )
    order = 10
    needs_outputs = ("bucket_name",)
    optional_outputs = ("access_key_id", "secret_access_key")

    def run(self, context: VerifyContext) -> Outcome:
        bucket = context.output("bucket_name")
        key_id, secret = context.output("access_key_id"), context.output("secret_access_key")
        if key_id and secret:
            s3 = context.client("s3", aws_access_key_id=key_id, aws_secret_access_key=secret)
            identity = f"as the store user ({key_id})"
        else:
            s3 = context.client("s3")
            identity = "with the ambient credentials (no store secret in the outputs)"
        key = f"{CHECK_PREFIX}/{context.run_id}-{os.getpid()}/{os.urandom(4).hex()}.bin"
        payload = os.urandom(PAYLOAD_BYTES)
        digest = hashlib.sha256(payload).hexdigest()
        where = f"s3://{bucket}/{key}"

        written, version_id = False, None
        try:
            started = time.perf_counter()
            # In a versioned bucket the version id lets the delete remove the data, not just hide it.
            version_id = s3.put_object(Bucket=bucket, Key=key, Body=payload).get("VersionId")
            written = True
            put_s = time.perf_counter() - started
            started = time.perf_counter()
            read_back = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
            get_s = time.perf_counter() - started
        finally:
            removal = _delete(s3, bucket, key, version_id) if written else None
        if hashlib.sha256(read_back).hexdigest() != digest:
            return failed(f"{where}: read back {len(read_back)} bytes that differ from the {PAYLOAD_BYTES} written")
        if removal is not None:
            return failed(f"{where} was written and read {identity}, but the object remains: {removal}")
        mib = PAYLOAD_BYTES / 2**20
        return passed(
            f"1 MiB put/get/delete {identity}: put {put_s * 1000:.0f} ms ({mib / put_s:.1f} MiB/s), "
            f"get {get_s * 1000:.0f} ms ({mib / get_s:.1f} MiB/s), SHA-256 equal, object gone",
            bucket=bucket,
            key=key,
            put_s=round(put_s, 4),
            get_s=round(get_s, 4),
            sha256=digest,
        )


def _delete(s3: object, bucket: str, key: str, version_id: str | None) -> str | None:
    """Delete the test object (its exact version, in a versioned bucket: a plain delete there only adds a delete
    marker and keeps the data) and confirm it is gone; None when it is, else why it is not."""
    try:
        if version_id and version_id != "null":
            s3.delete_object(Bucket=bucket, Key=key, VersionId=version_id)
        else:
            s3.delete_object(Bucket=bucket, Key=key)
    except ClientError as error:
        return f"delete refused ({error.response['Error'].get('Code', 'error')})"
    try:
        s3.head_object(Bucket=bucket, Key=key)
    except ClientError as error:
        if error.response["Error"].get("Code") in ("404", "NoSuchKey", "NotFound"):
            return None
        return f"could not confirm the delete ({error.response['Error'].get('Code')})"
    return "it is still there after the delete"

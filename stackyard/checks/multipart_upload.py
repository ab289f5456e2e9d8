"""multipart-upload: the store user assumes the multipart role and uploads a 2-part object with its temporary
credentials (seed 000, "Large file uploads"): create, upload parts, list them, complete, read back, delete."""

from __future__ import annotations

import hashlib
import os
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from stackyard.checks.core.base import Check, Outcome, Severity, failed, passed, skipped
from stackyard.checks.core.context import VerifyContext
from stackyard.checks.store_round_trip import CHECK_PREFIX

PART_BYTES = 5 * 1024 * 1024
"""S3's minimum size of every part but the last."""
LAST_PART_BYTES = 64 * 1024


class StepFailed(Exception):
    """A step of the upload went wrong; the message names the step (and the action it needs, when refused)."""


class MultipartUpload(Check):
    id = "multipart-upload"
    title = "Store user can assume the multipart role and upload a 2-part object with it"
    seed = "000"
    severity = Severity.HIGH
    remediation = (
        "Let only the store user assume the multipart role, and give the role seed 000's multipart actions on the "
        "bucket and its objects: `cdktf deploy data`"
    )
    order = 55
    needs_outputs = ("bucket_name", "multipart_upload_role_arn")
    optional_outputs = ("access_key_id", "secret_access_key")

    def run(self, context: VerifyContext) -> Outcome:
        key_id, secret = context.output("access_key_id"), context.output("secret_access_key")
        if not (key_id and secret):
            return skipped("no store secret in the outputs: only the store user may assume the multipart role")
        bucket, role_arn = context.output("bucket_name"), context.output("multipart_upload_role_arn")
        as_user = {"aws_access_key_id": key_id, "aws_secret_access_key": secret}
        user_s3 = context.client("s3", **as_user)
        try:
            credentials = _call(
                "assume the role",
                "sts:AssumeRole",
                context.client("sts", **as_user).assume_role,
                RoleArn=role_arn,
                RoleSessionName=f"stackyard-verify-{context.run_id}",
                DurationSeconds=900,
            )["Credentials"]
        except StepFailed as error:
            return failed(f"as the store user ({key_id}): {error}", role=role_arn)
        role_s3 = context.client(
            "s3",
            aws_access_key_id=credentials["AccessKeyId"],
            aws_secret_access_key=credentials["SecretAccessKey"],
            aws_session_token=credentials["SessionToken"],
        )
        key = f"{CHECK_PREFIX}/{context.run_id}-{os.getpid()}/multipart-{os.urandom(4).hex()}.bin"
        upload = _Upload(role_s3, user_s3, bucket, key)
        try:
            digest, version_id = upload.run()
        except StepFailed as error:
            leftovers = upload.clean_up()
            return failed(f"with the role's credentials, s3://{bucket}/{key}: {error}{leftovers}", role=role_arn)
        except BaseException:  # no answer, Ctrl-C: an ERROR (or the interrupt), with no part left behind
            upload.clean_up()
            raise
        leftovers = upload.clean_up()
        if leftovers:
            return failed(f"the 2-part upload worked, but{leftovers}", role=role_arn)
        return passed(
            f"assumed {role_arn.rsplit('/', 1)[-1]} as the store user; created, uploaded 2 parts "
            f"({PART_BYTES // 2**20} MiB + {LAST_PART_BYTES // 1024} KiB), listed them, completed, read back "
            "(SHA-256 equal) and deleted the object; no upload left open",
            bucket=bucket,
            key=key,
            sha256=digest,
            version_id=version_id,
        )


class _Upload:
    """One 2-part upload with the role; clean_up aborts it if open and deletes the object's exact version (as the
    store user: the role may not delete)."""

    def __init__(self, role_s3: Any, user_s3: Any, bucket: str, key: str):
        self.role_s3, self.user_s3, self.bucket, self.key = role_s3, user_s3, bucket, key
        self.upload_id: str | None = None
        self.version_id: str | None = None
        self.completed = False

    def run(self) -> tuple[str, str | None]:
        s3, where = self.role_s3, {"Bucket": self.bucket, "Key": self.key}
        parts_data = [os.urandom(PART_BYTES), os.urandom(LAST_PART_BYTES)]
        digest = hashlib.sha256(b"".join(parts_data)).hexdigest()
        self.upload_id = _call("create the upload", "s3:PutObject", s3.create_multipart_upload, **where)["UploadId"]
        parts = []
        for number, data in enumerate(parts_data, start=1):
            answer = _call(
                f"upload part {number}", "s3:PutObject", s3.upload_part,
                **where, UploadId=self.upload_id, PartNumber=number, Body=data,
            )  # fmt: skip
            parts.append({"PartNumber": number, "ETag": answer["ETag"]})
        listed = _call(
            "list the parts", "s3:ListMultipartUploadParts", s3.list_parts, **where, UploadId=self.upload_id
        ).get("Parts", [])
        if [part["PartNumber"] for part in listed] != [1, 2]:
            raise StepFailed(f"list the parts: listed {len(listed)} part(s), 2 were uploaded")
        completed = _call(
            "complete the upload", "s3:PutObject", s3.complete_multipart_upload,
            **where, UploadId=self.upload_id, MultipartUpload={"Parts": parts},
        )  # fmt: skip
        self.completed, self.version_id = True, completed.get("VersionId")
        body = _call("read it back", "s3:GetObject", s3.get_object, **where)["Body"].read()
        if hashlib.sha256(body).hexdigest() != digest:
            raise StepFailed(
                f"read it back: {len(body)} bytes that differ from the {PART_BYTES + LAST_PART_BYTES} written"
            )
        return digest, self.version_id

    def clean_up(self) -> str:
        """'' when nothing is left, else what is (a sentence fragment starting with ';')."""
        if self.upload_id is None:
            return ""  # nothing was started
        problems = []
        if self.upload_id and not self.completed:
            try:
                self.role_s3.abort_multipart_upload(Bucket=self.bucket, Key=self.key, UploadId=self.upload_id)
            except (ClientError, BotoCoreError) as error:
                problems.append(f"the upload could not be aborted ({error})")
        if self.completed:
            try:
                arguments = {"Bucket": self.bucket, "Key": self.key}
                if self.version_id and self.version_id != "null":
                    arguments["VersionId"] = self.version_id
                self.user_s3.delete_object(**arguments)
            except (ClientError, BotoCoreError) as error:
                problems.append(f"the object remains ({error})")
        try:
            uploads = self.user_s3.list_multipart_uploads(Bucket=self.bucket, Prefix=self.key).get("Uploads", [])
        except (ClientError, BotoCoreError) as error:
            problems.append(f"open uploads could not be listed ({error})")
        else:
            if uploads:
                problems.append(f"{len(uploads)} upload(s) remain open under {self.key}")
        return "".join(f"; {problem}" for problem in problems)


def _call(step: str, action: str, operation: Any, **arguments: Any) -> Any:
    try:
        return operation(**arguments)
    except ClientError as error:  # the deployment answered no; no answer at all (BotoCoreError) is an ERROR
        code = error.response["Error"].get("Code", "error")
        raise StepFailed(f"{step}: {action} refused ({code}: {error.response['Error'].get('Message', '')})") from error

"""IAM policy documents, as the seeds write them, rendered to JSON strings Terraform accepts.

Resource ARNs are passed in as Terraform references (tokens) so the documents name the real resources;
cdktf resolves a token inside a JSON string to an interpolation such as ``${aws_s3_bucket.x.arn}``.
"""

from __future__ import annotations

import json
from typing import Any

VERSION = "2012-10-17"

# Seed 000, "Large file uploads": the multipart role's 8 actions.
MULTIPART_UPLOAD_ACTIONS = [
    "s3:AbortMultipartUpload",
    "s3:GetBucketLocation",
    "s3:GetObject",
    "s3:ListBucket",
    "s3:ListBucketMultipartUploads",
    "s3:ListBucketVersions",
    "s3:ListMultipartUploadParts",
    "s3:PutObject",
]


def document(*statements: dict[str, Any]) -> str:
    return json.dumps({"Version": VERSION, "Statement": list(statements)}, indent=2)


def bucket_and_objects(bucket_arn: str) -> list[str]:
    return [bucket_arn, f"{bucket_arn}/*"]


def store_user_policy(bucket_arn: str) -> str:
    """Seed 000: the store user gets full access to the bucket and its objects, nothing else."""
    return document({"Effect": "Allow", "Action": "s3:*", "Resource": bucket_and_objects(bucket_arn)})


def multipart_upload_policy(bucket_arn: str) -> str:
    """Seed 000: what the temporary multipart-upload role may do."""
    return document(
        {
            "Sid": "MultipartAccess",
            "Effect": "Allow",
            "Action": MULTIPART_UPLOAD_ACTIONS,
            "Resource": bucket_and_objects(bucket_arn),
        }
    )


def trust_aws_principal(principal_arn: str, external_id: str | None = None) -> str:
    """A trust policy letting one AWS principal assume the role (seed 000 and seed 001)."""
    statement: dict[str, Any] = {"Effect": "Allow", "Principal": {"AWS": principal_arn}, "Action": "sts:AssumeRole"}
    if external_id:
        statement["Condition"] = {"StringEquals": {"sts:ExternalId": external_id}}
    return document(statement)


def deny_insecure_transport(bucket_arn: str) -> str:
    """Bucket policy refusing every request not made over TLS."""
    return document(
        {
            "Sid": "DenyInsecureTransport",
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:*",
            "Resource": bucket_and_objects(bucket_arn),
            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
        }
    )

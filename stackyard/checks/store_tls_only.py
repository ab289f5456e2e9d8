"""store-tls-only: the bucket policy refuses every request not made over TLS (when the config asks for it)."""

from __future__ import annotations

import json

from botocore.exceptions import ClientError

from stackyard.aws.iam_documents import as_list
from stackyard.checks.core.base import Check, Outcome, Severity, failed, passed, skipped
from stackyard.checks.core.context import VerifyContext


class StoreTlsOnly(Check):
    id = "store-tls-only"
    title = "Bucket policy denies requests without TLS"
    seed = "000"
    severity = Severity.HIGH
    remediation = (
        "Restore the bucket policy's DenyInsecureTransport statement (data_store.tls_only: true): `cdktf deploy data`"
    )
    order = 40
    needs_outputs = ("bucket_name",)

    def run(self, context: VerifyContext) -> Outcome:
        bucket = context.output("bucket_name")
        if not context.config.data_store.tls_only:
            return skipped("the config does not ask for a TLS-only policy (data_store.tls_only: false)")
        try:
            policy = json.loads(context.client("s3").get_bucket_policy(Bucket=bucket)["Policy"])
        except ClientError as error:
            if error.response["Error"].get("Code") == "NoSuchBucketPolicy":
                return failed(f"{bucket} has no bucket policy, so plain-HTTP requests are not refused")
            raise
        for statement in policy.get("Statement", []):
            condition = statement.get("Condition", {}).get("Bool", {})
            resources = as_list(statement.get("Resource"))
            if (
                statement.get("Effect") == "Deny"
                and str(condition.get("aws:SecureTransport")).lower() == "false"
                and as_list(statement.get("Action")) == ["s3:*"]
                and any(r.endswith(f":::{bucket}") for r in resources)
                and any(r.endswith(f":::{bucket}/*") for r in resources)
            ):
                return passed(f"{bucket}: statement {statement.get('Sid', '?')} denies s3:* when SecureTransport=false")
        return failed(f"{bucket}: no statement denies s3:* on the bucket and its objects without TLS")

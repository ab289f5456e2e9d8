"""store-private: the bucket is not public (seed 000: "double check that your bucket is not public")."""

from __future__ import annotations

import json
from typing import Any

from botocore.exceptions import ClientError

from stackyard.aws.iam_documents import as_list
from stackyard.checks.core.base import Check, Outcome, Severity, failed, passed
from stackyard.checks.core.context import VerifyContext

PUBLIC_GRANTEES = (
    "http://acs.amazonaws.com/groups/global/AllUsers",
    "http://acs.amazonaws.com/groups/global/AuthenticatedUsers",
)
BLOCK_SETTINGS = ("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets")


class StorePrivate(Check):
    id = "store-private"
    title = "Bucket blocks public access, its policy is not public, no public ACL grants"
    seed = "000"
    severity = Severity.CRITICAL
    remediation = (
        "Turn all four public-access blocks back on, remove public policy statements and ACL grants: "
        "`cdktf deploy data`"
    )
    order = 20
    needs_outputs = ("bucket_name",)

    def run(self, context: VerifyContext) -> Outcome:
        bucket = context.output("bucket_name")
        s3 = context.client("s3")
        problems = []  # every one named: a missing block and a public policy are two things to fix
        block: dict[str, Any] | None = None
        try:
            block = s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"]
        except ClientError as error:
            if error.response["Error"].get("Code") != "NoSuchPublicAccessBlockConfiguration":
                raise
            problems.append("it has no public-access block at all")
        off = [setting for setting in BLOCK_SETTINGS if block is not None and not block.get(setting)]
        if off:
            problems.append(f"its public-access block has {', '.join(off)} off")
        policy_status, public_policy = _policy_status(s3, bucket)
        if public_policy:
            problems.append(public_policy)
        grants = s3.get_bucket_acl(Bucket=bucket)["Grants"]
        public = [g["Permission"] for g in grants if g.get("Grantee", {}).get("URI") in PUBLIC_GRANTEES]
        if public:
            problems.append(f"its ACL grants {', '.join(public)} to everyone")
        if problems:
            return failed(f"{bucket}: {'; '.join(problems)}", public_access_block=block)
        return passed(f"{bucket}: all four public-access blocks on, {policy_status}, no public ACL grants")


def _policy_status(s3: Any, bucket: str) -> tuple[str, str | None]:
    """(what the policy is, in words; why it is public, or None). S3's own GetBucketPolicyStatus where the endpoint
    has it; where it does not (LocalStack answers HTTP 501), the policy's statements evaluated here."""
    try:
        is_public = s3.get_bucket_policy_status(Bucket=bucket)["PolicyStatus"]["IsPublic"]
    except ClientError as error:
        code = error.response["Error"].get("Code")
        if code == "NoSuchBucketPolicy":
            return "no bucket policy", None
        # LocalStack 4.7 answers HTTP 501 with the code InternalFailure; others say NotImplemented.
        if code != "NotImplemented" and error.response.get("ResponseMetadata", {}).get("HTTPStatusCode") != 501:
            raise
    else:
        return "policy not public", "its bucket policy is public" if is_public else None
    try:
        policy = json.loads(s3.get_bucket_policy(Bucket=bucket)["Policy"])
    except ClientError as error:
        if error.response["Error"].get("Code") == "NoSuchBucketPolicy":
            return "no bucket policy", None
        raise
    open_statements = [
        statement
        for statement in as_list(policy.get("Statement"))
        if statement.get("Effect") == "Allow" and _everyone(statement.get("Principal"))
    ]
    if not open_statements:
        return "policy not public (evaluated locally: no statement allows everyone)", None
    sids = ", ".join(str(statement.get("Sid", index)) for index, statement in enumerate(open_statements))
    conditional = any(statement.get("Condition") for statement in open_statements)
    why = f"its bucket policy allows everyone (Principal *) in statement {sids} (evaluated locally"
    return "policy public", why + ("; conditions not evaluated)" if conditional else ")")


def _everyone(principal: Any) -> bool:
    if principal == "*":
        return True
    return isinstance(principal, dict) and "*" in as_list(principal.get("AWS"))

"""store-private: the bucket is not public (seed 000: "double check that your bucket is not public")."""

from __future__ import annotations

from botocore.exceptions import ClientError

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
        try:
            block = s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"]
        except ClientError as error:
            if error.response["Error"].get("Code") == "NoSuchPublicAccessBlockConfiguration":
                return failed(f"{bucket} has no public-access block at all")
            raise
        off = [setting for setting in BLOCK_SETTINGS if not block.get(setting)]
        if off:
            return failed(f"{bucket}: public-access block has {', '.join(off)} off", public_access_block=block)

        problems = []
        policy_status = "no bucket policy"
        try:
            is_public = s3.get_bucket_policy_status(Bucket=bucket)["PolicyStatus"]["IsPublic"]
            policy_status = "policy not public"
            if is_public:
                problems.append("its bucket policy is public")
        except ClientError as error:
            if error.response["Error"].get("Code") not in ("NoSuchBucketPolicy", "NotImplemented"):
                raise
        grants = s3.get_bucket_acl(Bucket=bucket)["Grants"]
        public = [g["Permission"] for g in grants if g.get("Grantee", {}).get("URI") in PUBLIC_GRANTEES]
        if public:
            problems.append(f"its ACL grants {', '.join(public)} to everyone")
        if problems:
            return failed(f"{bucket}: {'; '.join(problems)}")
        return passed(f"{bucket}: all four public-access blocks on, {policy_status}, no public ACL grants")

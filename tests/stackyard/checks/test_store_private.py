"""store-private: public-access blocks on, no public policy, no public ACL grant."""

from __future__ import annotations

import json

from stackyard.checks.core.base import Status
from stackyard.checks.core.context import VerifyContext
from stackyard.checks.core.runner import run_check
from stackyard.checks.store_private import StorePrivate
from stackyard.config import load_default_config
from stackyard.outputs import StackOutputs
from tests.support.aws import emulator_client
from tests.support.deployed import REGION


def test_passes_on_the_deployed_bucket(check_on, deployed):
    result = check_on(StorePrivate, deployed)
    assert result.status is Status.PASS, result.detail
    assert "all four public-access blocks on" in result.detail


def test_bucket_without_public_access_block_fails(check_on, fresh_deployment):
    bucket = fresh_deployment.outputs()["data"]["bucket_name"]
    emulator_client("s3", fresh_deployment.endpoint, REGION).delete_public_access_block(Bucket=bucket)
    result = check_on(StorePrivate, fresh_deployment)
    assert result.status is Status.FAIL and "no public-access block" in result.detail


def test_one_block_off_is_named(check_on, fresh_deployment):
    bucket = fresh_deployment.outputs()["data"]["bucket_name"]
    emulator_client("s3", fresh_deployment.endpoint, REGION).put_public_access_block(
        Bucket=bucket,
        PublicAccessBlockConfiguration={
            "BlockPublicAcls": True,
            "IgnorePublicAcls": True,
            "BlockPublicPolicy": False,
            "RestrictPublicBuckets": True,
        },
    )
    result = check_on(StorePrivate, fresh_deployment)
    assert result.status is Status.FAIL and "BlockPublicPolicy off" in result.detail


def test_a_public_policy_left_from_before_the_blocks_fails(check_on, fresh_deployment):
    """S3 refuses a public policy while BlockPublicPolicy is on; one put before the blocks stays, and is reported."""
    s3 = emulator_client("s3", fresh_deployment.endpoint, REGION)
    bucket = fresh_deployment.outputs()["data"]["bucket_name"]
    block = s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"]
    s3.delete_public_access_block(Bucket=bucket)
    s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps(public_read(bucket)))
    s3.put_public_access_block(Bucket=bucket, PublicAccessBlockConfiguration=block)
    result = check_on(StorePrivate, fresh_deployment)
    assert result.status is Status.FAIL and "its bucket policy is public" in result.detail


def test_no_block_and_a_public_policy_are_both_named(check_on, fresh_deployment):
    s3 = emulator_client("s3", fresh_deployment.endpoint, REGION)
    bucket = fresh_deployment.outputs()["data"]["bucket_name"]
    s3.delete_public_access_block(Bucket=bucket)
    s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps(public_read(bucket)))
    result = check_on(StorePrivate, fresh_deployment)
    assert result.status is Status.FAIL
    assert result.detail == f"{bucket}: it has no public-access block at all; its bucket policy is public"


def public_read(bucket: str) -> dict:
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "Everyone",
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": f"arn:aws:s3:::{bucket}/*",
            }
        ],
    }


def run_on_localstack(endpoint: str, bucket: str, policy: dict | None):
    """LocalStack 4.7 lacks GetBucketPolicyStatus (HTTP 501, code InternalFailure): the check evaluates locally."""
    s3 = emulator_client("s3", endpoint, REGION)
    s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION})
    if policy is not None:
        s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps(policy))
    blocks = dict.fromkeys(("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets"), True)
    s3.put_public_access_block(Bucket=bucket, PublicAccessBlockConfiguration=blocks)
    config = load_default_config().model_copy(deep=True)
    config.aws.endpoint_url = endpoint
    return run_check(StorePrivate(), VerifyContext(StackOutputs({"data": {"bucket_name": bucket}}, "test"), config))


def test_without_policy_status_the_policy_is_evaluated_locally_and_says_so(localstack_endpoint):
    public = run_on_localstack(localstack_endpoint, "stackyard-public-bucket", public_read("stackyard-public-bucket"))
    assert public.status is Status.FAIL, public.detail
    assert "allows everyone (Principal *) in statement Everyone (evaluated locally)" in public.detail
    bucket = "stackyard-tls-only-bucket"
    tls_only = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "DenyInsecureTransport",
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:*",
                "Resource": f"arn:aws:s3:::{bucket}",
                "Condition": {"Bool": {"aws:SecureTransport": "false"}},
            }
        ],
    }
    private = run_on_localstack(localstack_endpoint, bucket, tls_only)
    assert private.status is Status.PASS and "evaluated locally: no statement allows everyone" in private.detail
    assert run_on_localstack(localstack_endpoint, "stackyard-no-policy-bucket", None).status is Status.PASS

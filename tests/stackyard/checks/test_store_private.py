"""store-private: public-access blocks on, no public policy, no public ACL grant."""

from __future__ import annotations

import json

import boto3
from botocore.stub import Stubber

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


class StubbedContext(VerifyContext):
    """An endpoint without GetBucketPolicyStatus (LocalStack 4.7 answers NotImplemented). No emulator here lacks it,
    so botocore's Stubber plays that endpoint."""

    stub_client: object = None

    def client(self, service, **credentials):
        return self.stub_client


def run_without_policy_status(policy: dict | None):
    s3 = boto3.client("s3", region_name="eu-west-1", aws_access_key_id="x", aws_secret_access_key="x")
    blocks = dict.fromkeys(("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets"), True)
    with Stubber(s3) as stub:
        stub.add_response("get_public_access_block", {"PublicAccessBlockConfiguration": blocks})
        stub.add_client_error("get_bucket_policy_status", "NotImplemented", http_status_code=501)
        if policy is None:
            stub.add_client_error("get_bucket_policy", "NoSuchBucketPolicy", http_status_code=404)
        else:
            stub.add_response("get_bucket_policy", {"Policy": json.dumps(policy)})
        stub.add_response("get_bucket_acl", {"Grants": [], "Owner": {"ID": "owner"}})
        context = StubbedContext(StackOutputs({"data": {"bucket_name": "b"}}, "test"), load_default_config())
        context.stub_client = s3
        return run_check(StorePrivate(), context)


def test_without_policy_status_the_policy_is_evaluated_locally_and_says_so():
    public = run_without_policy_status(public_read("b"))
    assert public.status is Status.FAIL
    assert "allows everyone (Principal *) in statement Everyone (evaluated locally)" in public.detail
    tls_only = {
        "Statement": [
            {
                "Sid": "DenyInsecureTransport",
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:*",
                "Resource": "arn:aws:s3:::b",
                "Condition": {"Bool": {"aws:SecureTransport": "false"}},
            }
        ]
    }
    private = run_without_policy_status(tls_only)
    assert private.status is Status.PASS and "evaluated locally: no statement allows everyone" in private.detail
    assert run_without_policy_status(None).status is Status.PASS

"""store-private: public-access blocks on, no public policy, no public ACL grant."""

from __future__ import annotations

from stackyard.checks.core.base import Status
from stackyard.checks.store_private import StorePrivate
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

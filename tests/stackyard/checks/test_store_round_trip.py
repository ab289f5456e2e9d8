"""store-round-trip: the store user writes, reads back and deletes an object, and nothing stays behind."""

from __future__ import annotations

import json

from stackyard.checks.core.base import Status
from stackyard.checks.store_round_trip import CHECK_PREFIX, StoreRoundTrip
from tests.support.aws import emulator_client
from tests.support.deployed import REGION
from tests.support.processes import set_moto_auth


def test_passes_as_the_store_user_and_leaves_not_even_a_version(check_on, deployed):
    result = check_on(StoreRoundTrip, deployed)
    assert result.status is Status.PASS, result.detail
    assert "as the store user" in result.detail and "MiB/s" in result.detail
    s3 = emulator_client("s3", deployed.endpoint, REGION)
    bucket = deployed.outputs()["data"]["bucket_name"]
    assert s3.get_bucket_versioning(Bucket=bucket)["Status"] == "Enabled"
    versions = s3.list_object_versions(Bucket=bucket, Prefix=f"{CHECK_PREFIX}/")
    assert versions.get("Versions", []) == [] and versions.get("DeleteMarkers", []) == []


def test_without_the_store_key_it_says_it_used_the_ambient_credentials(check_on, deployed):
    def no_key(outputs):
        del outputs["data"]["access_key_id"], outputs["data"]["secret_access_key"]

    result = check_on(StoreRoundTrip, deployed, outputs=no_key)
    assert result.status is Status.PASS and "ambient credentials" in result.detail


def test_user_who_may_put_but_not_delete_fails_and_says_the_object_remains(check_on, fresh_deployment):
    iam = emulator_client("iam", fresh_deployment.endpoint, REGION)
    bucket = fresh_deployment.outputs()["data"]["bucket_name"]
    iam.create_user(UserName="uploader")
    statement = {"Effect": "Allow", "Action": ["s3:PutObject", "s3:GetObject"], "Resource": f"arn:aws:s3:::{bucket}/*"}
    iam.put_user_policy(
        UserName="uploader",
        PolicyName="put-and-read-only",
        PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [statement]}),
    )
    key = iam.create_access_key(UserName="uploader")["AccessKey"]

    def as_uploader(outputs):
        outputs["data"]["access_key_id"] = key["AccessKeyId"]
        outputs["data"]["secret_access_key"] = key["SecretAccessKey"]

    set_moto_auth(fresh_deployment.endpoint, enforce=True)
    try:
        result = check_on(StoreRoundTrip, fresh_deployment, outputs=as_uploader)
    finally:
        set_moto_auth(fresh_deployment.endpoint, enforce=False)
    assert result.status is Status.FAIL
    assert "the object remains" in result.detail and "AccessDenied" in result.detail
    remaining = emulator_client("s3", fresh_deployment.endpoint, REGION).list_objects_v2(
        Bucket=bucket, Prefix=f"{CHECK_PREFIX}/"
    )
    assert remaining["KeyCount"] == 1, "the detail tells the truth: the object is still there"

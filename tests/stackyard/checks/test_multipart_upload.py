"""multipart-upload: the store user assumes the multipart role and uploads 2 parts with it; every refusal names
its step and action, and nothing is left behind (no object version, no open upload). The refusals are real:
moto's IAM enforcement (/moto-api/reset-auth) evaluates the role's trust and permission policies."""

from __future__ import annotations

import json
from contextlib import contextmanager

from stackyard.checks.core.base import Status
from stackyard.checks.multipart_upload import MultipartUpload
from stackyard.checks.store_round_trip import CHECK_PREFIX
from tests.support.aws import emulator_client
from tests.support.deployed import REGION
from tests.support.processes import set_moto_auth

ROLE = "valohai-multipart-upload"
USER = "valohai-data-store"


def nothing_left(deployed) -> None:
    s3 = emulator_client("s3", deployed.endpoint, REGION)
    bucket = deployed.outputs()["data"]["bucket_name"]
    versions = s3.list_object_versions(Bucket=bucket, Prefix=f"{CHECK_PREFIX}/")
    assert versions.get("Versions", []) == [] and versions.get("DeleteMarkers", []) == []
    assert s3.list_multipart_uploads(Bucket=bucket).get("Uploads", []) == []


@contextmanager
def iam_enforced(deployed):
    """moto's IAM enforcement, with the store user allowed sts:AssumeRole by its own policy too: moto asks for
    both the caller's permission and the role's trust, where AWS lets a trust that names the user suffice."""
    iam = emulator_client("iam", deployed.endpoint, REGION)
    allow = {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}
    iam.put_user_policy(
        UserName=USER,
        PolicyName="moto-needs-this",
        PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [allow]}),
    )
    set_moto_auth(deployed.endpoint, enforce=True)
    try:
        yield iam
    finally:
        set_moto_auth(deployed.endpoint, enforce=False)


def failure(check_on, deployed) -> str:
    """The check's FAIL detail under IAM enforcement; nothing is left behind either way."""
    with iam_enforced(deployed):
        result = check_on(MultipartUpload, deployed)
    assert result.status is Status.FAIL
    nothing_left(deployed)
    return result.detail


def test_passes_with_the_role_and_leaves_nothing(check_on, deployed):
    result = check_on(MultipartUpload, deployed)
    assert result.status is Status.PASS, result.detail
    assert "uploaded 2 parts" in result.detail and "SHA-256 equal" in result.detail
    nothing_left(deployed)


def test_passes_under_iam_enforcement_with_only_the_seed_policies(check_on, fresh_deployment):
    with iam_enforced(fresh_deployment):
        result = check_on(MultipartUpload, fresh_deployment)
    assert result.status is Status.PASS, result.detail
    nothing_left(fresh_deployment)


def test_a_trust_that_no_longer_names_the_store_user_fails_at_assume_role(check_on, fresh_deployment):
    iam = emulator_client("iam", fresh_deployment.endpoint, REGION)
    other = iam.create_user(UserName="someone-else")["User"]["Arn"]
    trust = {"Effect": "Allow", "Principal": {"AWS": other}, "Action": "sts:AssumeRole"}
    iam.update_assume_role_policy(
        RoleName=ROLE, PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [trust]})
    )
    assert "assume the role: sts:AssumeRole refused (AccessDenied" in failure(check_on, fresh_deployment)


def test_a_role_without_put_object_fails_naming_it_and_leaves_no_upload(check_on, fresh_deployment):
    iam = emulator_client("iam", fresh_deployment.endpoint, REGION)
    (policy_name,) = iam.list_role_policies(RoleName=ROLE)["PolicyNames"]
    document = iam.get_role_policy(RoleName=ROLE, PolicyName=policy_name)["PolicyDocument"]
    for statement in document["Statement"]:
        statement["Action"] = [action for action in statement["Action"] if action != "s3:PutObject"]
    iam.put_role_policy(RoleName=ROLE, PolicyName=policy_name, PolicyDocument=json.dumps(document))
    assert "create the upload: s3:PutObject refused (AccessDenied" in failure(check_on, fresh_deployment)


def test_without_the_store_secret_it_is_skipped_with_the_reason(check_on, deployed):
    def no_secret(outputs):
        del outputs["data"]["secret_access_key"]

    result = check_on(MultipartUpload, deployed, outputs=no_secret)
    assert result.status is Status.SKIP and "only the store user" in result.detail
